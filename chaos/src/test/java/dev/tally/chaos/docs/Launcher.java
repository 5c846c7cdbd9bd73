package dev.tally.chaos.docs;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.lang.reflect.Constructor;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;

import picocli.CommandLine;

/**
 * The subcommands of {@code ./tally}, read from the launcher's own {@code COMMANDS} list, so that the docs tests
 * follow whatever the launcher dispatches to and a new subcommand is covered without editing them. Each one's
 * picocli model is built from its real main class (nothing is executed).
 */
final class Launcher
{
    /** One launcher entry: {@code name|module|main class|description}. */
    record Subcommand(String name, String module, String mainClass, String description)
    {
        /** A fresh picocli model of the main class; parsing with it runs nothing. */
        CommandLine commandLine()
        {
            try
            {
                return new CommandLine(Class.forName(mainClass), FACTORY);
            }
            catch (final ClassNotFoundException e)
            {
                throw new AssertionError("./tally " + name + ": main class " + mainClass + " is not on the chaos " +
                    "module's test classpath; add its module as a dependency of chaos", e);
            }
        }

        /** The main class's source file. */
        Path source()
        {
            return Repository.HOME.resolve(module).resolve("src/main/java")
                .resolve(mainClass.replace('.', '/') + ".java");
        }
    }

    /**
     * Builds commands without running them: the default factory, except for mains whose only constructor takes
     * the streams they print to (VerifyMain), which get a sink.
     */
    private static final CommandLine.IFactory FACTORY = new CommandLine.IFactory()
    {
        @Override
        public <K> K create(final Class<K> type) throws Exception
        {
            final Optional<Constructor<?>> streams = Arrays.stream(type.getDeclaredConstructors())
                .filter(c -> c.getParameterCount() > 0 &&
                    Arrays.stream(c.getParameterTypes()).allMatch(PrintStream.class::equals))
                .findFirst();
            final boolean noArgs = Arrays.stream(type.getDeclaredConstructors()).anyMatch(c -> c.getParameterCount() == 0);
            if (noArgs || streams.isEmpty())
            {
                return CommandLine.defaultFactory().create(type);
            }
            final Constructor<?> c = streams.get();
            c.setAccessible(true);
            final Object[] sinks = new Object[c.getParameterCount()];
            Arrays.fill(sinks, new PrintStream(OutputStream.nullOutputStream(), true, StandardCharsets.UTF_8));
            return type.cast(c.newInstance(sinks));
        }
    };

    private static final List<Subcommand> SUBCOMMANDS = read();

    private Launcher()
    {
    }

    /** The launcher script. */
    static Path script()
    {
        return Repository.HOME.resolve("tally");
    }

    /** The launcher's subcommands, in its order. */
    static List<Subcommand> subcommands()
    {
        return SUBCOMMANDS;
    }

    private static List<Subcommand> read()
    {
        final List<String> lines;
        try
        {
            lines = Files.readAllLines(script(), StandardCharsets.UTF_8);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        final List<Subcommand> found = new ArrayList<>();
        boolean inList = false;
        for (final String line : lines)
        {
            final String t = line.strip();
            if (t.startsWith("COMMANDS=("))
            {
                inList = true;
            }
            else if (inList && t.equals(")"))
            {
                break;
            }
            else if (inList && t.startsWith("\""))
            {
                final String[] f = t.substring(1, t.lastIndexOf('"')).split("\\|", 4);
                found.add(new Subcommand(f[0], f[1], f[2], f[3]));
            }
        }
        if (found.isEmpty())
        {
            throw new AssertionError("no COMMANDS=( ... ) list in " + script());
        }
        return List.copyOf(found);
    }

    static Optional<Subcommand> subcommand(final String name)
    {
        return subcommands().stream().filter(s -> s.name().equals(name)).findFirst();
    }
}
