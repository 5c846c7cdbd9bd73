package dev.tally.chaos.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * The environment variables the repository's code reads, found by reading the code: the launcher, the CI script
 * and the perf scripts (shell), and every module's Java sources. The TALLY_&lt;FLAG&gt; variables of the commands
 * with environment defaults are built from flag names at run time and are covered by the generated reference.
 */
final class EnvironmentVariables
{
    /** {@code ${NAME:-...}} or {@code ${NAME:+...}}: a shell script reading an optional variable. */
    private static final Pattern SHELL_OPTIONAL = Pattern.compile("\\$\\{([A-Z][A-Z0-9_]*):?[-+]");
    private static final Pattern SHELL_REFERENCE = Pattern.compile("\\$\\{?([A-Z][A-Z0-9_]*)");
    /** Names that are no tally setting: bash's own, the login's HOME and awk's field count. */
    private static final Set<String> SHELL_OWN = Set.of("BASH_SOURCE", "HOME", "NF");
    private static final Pattern JAVA_GETENV = Pattern.compile(
        "getenv\\(\\)\\.getOrDefault\\(\"([A-Z][A-Z0-9_]*)\"|getenv\\(\"([A-Z][A-Z0-9_]*)\"\\)");
    /** In main code any TALLY_ literal is a variable read somewhere (from a map of the environment, a constant). */
    private static final Pattern JAVA_TALLY_LITERAL = Pattern.compile("\"(TALLY_[A-Z0-9_]+)\"");
    private static final Pattern JAVA_CONSTANT = Pattern.compile("getenv\\(([A-Z][A-Z0-9_]*)\\)");

    private EnvironmentVariables()
    {
    }

    /** Variable name to the files that read it. */
    static TreeMap<String, Set<String>> read()
    {
        final TreeMap<String, Set<String>> found = new TreeMap<>();
        for (final Path script : shellScripts())
        {
            shell(Repository.read(script)).forEach(name -> add(found, name, script));
        }
        for (final Path source : javaSources())
        {
            final boolean main = Repository.name(source).contains("/src/main/");
            java(Repository.read(source), main).forEach(name -> add(found, name, source));
        }
        return found;
    }

    static Set<String> shell(final String text)
    {
        final Set<String> names = new TreeSet<>();
        Matcher m = SHELL_OPTIONAL.matcher(text);
        while (m.find())
        {
            names.add(m.group(1));
        }
        m = SHELL_REFERENCE.matcher(text);
        while (m.find())
        {
            final String name = m.group(1);
            final boolean assigned = Pattern.compile("(?m)^\\s*(export\\s+|local\\s+)?" + name + "=").matcher(text).find();
            if (!assigned && !SHELL_OWN.contains(name))
            {
                names.add(name);
            }
        }
        return names;
    }

    /** Variables a Java source reads; test sources only count through getenv (their TALLY_ maps are inputs). */
    static Set<String> java(final String text, final boolean main)
    {
        final Set<String> names = new TreeSet<>();
        Matcher m = JAVA_GETENV.matcher(text);
        while (m.find())
        {
            names.add(m.group(1) != null ? m.group(1) : m.group(2));
        }
        m = JAVA_TALLY_LITERAL.matcher(text);
        while (main && m.find())
        {
            names.add(m.group(1));
        }
        m = JAVA_CONSTANT.matcher(text);
        while (m.find())
        {
            final Matcher value = Pattern.compile(m.group(1) + "\\s*=\\s*\"([A-Z][A-Z0-9_]*)\"").matcher(text);
            if (!value.find())
            {
                throw new AssertionError("getenv(" + m.group(1) + "): its value is not a literal in the same file");
            }
            names.add(value.group(1));
        }
        return names;
    }

    private static void add(final TreeMap<String, Set<String>> found, final String name, final Path file)
    {
        found.computeIfAbsent(name, k -> new TreeSet<>()).add(Repository.name(file));
    }

    private static List<Path> shellScripts()
    {
        final List<Path> scripts = new ArrayList<>(List.of(Launcher.script(), Repository.HOME.resolve(".ci/run")));
        scripts.addAll(files(Repository.HOME.resolve("perf-scripts"), ".sh"));
        return scripts;
    }

    private static List<Path> javaSources()
    {
        final List<Path> sources = new ArrayList<>();
        for (final String module : Repository.modules())
        {
            sources.addAll(files(Repository.HOME.resolve(module).resolve("src"), ".java"));
        }
        return sources;
    }

    /** Files ending in {@code suffix} under {@code dir}. */
    private static List<Path> files(final Path dir, final String suffix)
    {
        if (!Files.isDirectory(dir))
        {
            return List.of();
        }
        try (Stream<Path> s = Files.walk(dir))
        {
            return s.filter(p -> p.getFileName().toString().endsWith(suffix)).sorted().toList();
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }
}
