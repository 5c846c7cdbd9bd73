package dev.tally.chaos.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Stream;

import org.openjdk.jmh.runner.options.CommandLineOptionException;
import org.openjdk.jmh.runner.options.CommandLineOptions;

/**
 * Checks a documented benchmark run: the jar a {@code java -jar} names is one a module builds (its shade
 * {@code finalName}, in {@code target/} or a {@code -Dtally.build.dir} folder), and JMH arguments parse with JMH's
 * own command-line parser and their benchmark patterns match a benchmark in jmh/.
 */
final class JmhArguments
{
    private static final Pattern BUILD_DIR = Pattern.compile("target(-[\\w.-]+)?");
    private static final Pattern PACKAGE = Pattern.compile("(?m)^package ([\\w.]+);");
    private static final Pattern BENCHMARK_METHOD = Pattern.compile("@Benchmark\\s+(?:@\\w+(?:\\([^)]*\\))?\\s+)*" +
        "public\\s+[\\w<>\\[\\], ]+?\\s+(\\w+)\\s*\\(");

    private JmhArguments()
    {
    }

    /** {@code java -jar JAR args...}. */
    static List<String> checkJar(final List<ShellWords.Word> words)
    {
        if (words.isEmpty())
        {
            return List.of("java -jar names no jar");
        }
        final String jar = words.getFirst().text();
        final String[] parts = jar.split("/");
        final List<String> problems = new ArrayList<>();
        if (parts.length != 3 || !Repository.modules().contains(parts[0]) || !BUILD_DIR.matcher(parts[1]).matches())
        {
            return List.of(jar + ": not <module>/target[-dir]/<name>.jar of a module in pom.xml");
        }
        final String name = parts[2].replaceFirst("\\.jar$", "");
        final String pom = Repository.read(Repository.HOME.resolve(parts[0]).resolve("pom.xml"));
        if (!pom.contains("<finalName>" + name + "</finalName>"))
        {
            problems.add(jar + ": module " + parts[0] + " builds no " + name + ".jar (no <finalName>" + name + "</finalName>)");
        }
        if (pom.contains("org.openjdk.jmh.Main"))
        {
            problems.addAll(check(words.subList(1, words.size())));
        }
        return problems;
    }

    /** JMH's own arguments: options, and benchmark patterns that match a benchmark. */
    static List<String> check(final List<ShellWords.Word> words)
    {
        final String[] args = words.stream().map(ShellWords.Word::text).toArray(String[]::new);
        final CommandLineOptions options;
        try
        {
            options = new CommandLineOptions(args);
        }
        catch (final CommandLineOptionException e)
        {
            return List.of("JMH refuses the arguments: " + e.getMessage());
        }
        final List<String> problems = new ArrayList<>();
        final List<String> benchmarks = benchmarks();
        for (final String include : options.getIncludes())
        {
            try
            {
                final Pattern p = Pattern.compile(include);
                if (benchmarks.stream().noneMatch(b -> p.matcher(b).find()))
                {
                    problems.add("benchmark pattern '" + include + "' matches no benchmark in jmh/");
                }
            }
            catch (final PatternSyntaxException e)
            {
                problems.add("benchmark pattern '" + include + "' is not a regular expression");
            }
        }
        return problems;
    }

    /** Every benchmark method in jmh/, as JMH names it: package.Class.method. */
    static List<String> benchmarks()
    {
        final List<String> names = new ArrayList<>();
        try (Stream<Path> s = Files.walk(Repository.HOME.resolve("jmh/src/main/java")))
        {
            for (final Path file : s.filter(p -> p.toString().endsWith(".java")).toList())
            {
                final String text = Repository.read(file);
                final Matcher pkg = PACKAGE.matcher(text);
                final String cls = (pkg.find() ? pkg.group(1) + "." : "") +
                    file.getFileName().toString().replaceFirst("\\.java$", "");
                final Matcher m = BENCHMARK_METHOD.matcher(text);
                while (m.find())
                {
                    names.add(cls + "." + m.group(1));
                }
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        return names;
    }
}
