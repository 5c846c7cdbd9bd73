package dev.tally.chaos.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Checks what a documented {@code mvn} (or {@code ./tally test}) command names: the modules of {@code -pl} exist in
 * the root pom, the test classes of {@code -Dtest} exist, the file of {@code -f} exists. Goals and other options are
 * Maven's business and are not checked.
 */
final class MavenCommands
{
    private MavenCommands()
    {
    }

    static List<String> check(final List<ShellWords.Word> words)
    {
        final List<String> problems = new ArrayList<>();
        for (int i = 0; i < words.size(); i++)
        {
            final String w = words.get(i).text();
            final String next = i + 1 < words.size() ? words.get(i + 1).text() : "";
            if (w.equals("-pl") || w.equals("--projects"))
            {
                for (final String module : next.split(","))
                {
                    if (!Repository.modules().contains(module.replaceFirst("^[!:]", "")))
                    {
                        problems.add("-pl " + module + ": no such module in pom.xml (" +
                            String.join(", ", Repository.modules()) + ")");
                    }
                }
            }
            else if (w.equals("-f") || w.equals("--file"))
            {
                if (!Files.exists(Repository.HOME.resolve(next)))
                {
                    problems.add("-f " + next + ": no such file");
                }
            }
            else if (w.startsWith("-Dtest="))
            {
                for (final String test : w.substring("-Dtest=".length()).split(","))
                {
                    final String name = test.replaceFirst("#.*", "");
                    if (!testClassExists(name))
                    {
                        problems.add("-Dtest=" + test + ": no test class " + name + " in any module");
                    }
                }
            }
        }
        return problems;
    }

    private static boolean testClassExists(final String name)
    {
        final Pattern file = Pattern.compile(name.replace(".", "/").replace("*", "[^/]*") + "\\.java");
        for (final String module : Repository.modules())
        {
            final Path tests = Repository.HOME.resolve(module).resolve("src/test/java");
            if (!Files.isDirectory(tests))
            {
                continue;
            }
            try (Stream<Path> s = Files.walk(tests))
            {
                if (s.anyMatch(p -> file.matcher(tests.relativize(p).toString()).matches() ||
                    file.matcher(p.getFileName().toString()).matches()))
                {
                    return true;
                }
            }
            catch (final IOException e)
            {
                throw new UncheckedIOException(e);
            }
        }
        return false;
    }
}
