package dev.tally.chaos.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import dev.tally.stack.TallyHome;

/** The repository the docs tests read: its root, its markdown files and plain reads of its files. */
final class Repository
{
    static final Path HOME = TallyHome.dir();
    private static final List<String> MODULES = readModules();

    private Repository()
    {
    }

    /** README.md and every markdown file under docs/, sorted: whatever docs exist when the test runs. */
    static List<Path> markdownFiles()
    {
        final List<Path> files = new ArrayList<>();
        files.add(HOME.resolve("README.md"));
        try (Stream<Path> docs = Files.walk(HOME.resolve("docs")))
        {
            docs.filter(p -> p.toString().endsWith(".md")).sorted().forEach(files::add);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        return files;
    }

    /** The modules the root pom.xml lists, as folder names. */
    static List<String> modules()
    {
        return MODULES;
    }

    private static List<String> readModules()
    {
        final List<String> modules = new ArrayList<>();
        final Matcher m = Pattern.compile("<module>([^<]+)</module>").matcher(read(HOME.resolve("pom.xml")));
        while (m.find())
        {
            modules.add(m.group(1).strip());
        }
        return List.copyOf(modules);
    }

    static String read(final Path file)
    {
        try
        {
            return Files.readString(file, StandardCharsets.UTF_8);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    /** {@code file} relative to the repository root, as docs and failure messages name it. */
    static String name(final Path file)
    {
        return HOME.relativize(file.toAbsolutePath().normalize()).toString();
    }
}
