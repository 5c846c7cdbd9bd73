package dev.tally.chaos.docs;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A command shown in the docs: {@code ./tally ...}, {@code perf-scripts/<x>.sh ...}, {@code java -jar ...} or
 * {@code mvn ...}, with its arguments as {@link ShellWords} items and the {@code NAME=value} assignments written
 * in front of it. {@code ./tally} and perf scripts are found anywhere in code (also inside sample output, where a
 * program tells the reader what to run); {@code java} and {@code mvn} only where a command starts.
 */
record DocCommand(MarkdownCode.Snippet snippet, Kind kind, String program, List<ShellWords.Item> items,
    List<String> assignments)
{
    enum Kind
    {
        TALLY, SCRIPT, JAVA_JAR, MAVEN
    }

    private static final Pattern TALLY = Pattern.compile("(?<![\\w./-])\\./tally(?![\\w.-])");
    private static final Pattern SCRIPT = Pattern.compile("(?<![\\w./-])perf-scripts/[\\w.-]+\\.sh(?![\\w.-])");
    private static final Pattern AT_COMMAND_START = Pattern.compile(
        "(?:^|&&|;|\\|)\\s*(?:\\$\\s+)?(?:[A-Z_][A-Z0-9_]*=\\S*\\s+)*(java\\s+-jar|mvn)(?=\\s|$)");
    private static final Pattern ASSIGNMENTS =
        Pattern.compile("((?:[A-Z_][A-Z0-9_]*=(?:\"[^\"]*\"|'[^']*'|\\S*)\\s+)+)$");

    /** Every command in the given markdown files, in file and line order. */
    static List<DocCommand> in(final List<Path> files)
    {
        final List<DocCommand> commands = new ArrayList<>();
        for (final Path file : files)
        {
            for (final MarkdownCode.Snippet s : MarkdownCode.of(file))
            {
                find(s, TALLY, Kind.TALLY, commands);
                find(s, SCRIPT, Kind.SCRIPT, commands);
                final Matcher m = AT_COMMAND_START.matcher(s.text());
                while (m.find())
                {
                    final Kind kind = m.group(1).equals("mvn") ? Kind.MAVEN : Kind.JAVA_JAR;
                    commands.add(at(s, kind, m.group(1), m.start(1), m.end(1)));
                }
            }
        }
        return commands;
    }

    private static void find(final MarkdownCode.Snippet s, final Pattern program, final Kind kind,
        final List<DocCommand> commands)
    {
        final Matcher m = program.matcher(s.text());
        while (m.find())
        {
            commands.add(at(s, kind, m.group(), m.start(), m.end()));
        }
    }

    private static DocCommand at(final MarkdownCode.Snippet s, final Kind kind, final String program, final int start,
        final int end)
    {
        final List<String> assignments = new ArrayList<>();
        final Matcher a = ASSIGNMENTS.matcher(s.text().substring(0, start));
        if (a.find())
        {
            final Matcher name = Pattern.compile("(?:^|\\s)([A-Z_][A-Z0-9_]*)=").matcher(a.group(1));
            while (name.find())
            {
                assignments.add(name.group(1));
            }
        }
        return new DocCommand(s, kind, program, ShellWords.parse(s.text(), end), assignments);
    }

    /** The command as written (its first reading, notation resolved), for messages. */
    String text()
    {
        final StringBuilder b = new StringBuilder(program);
        for (final ShellWords.Word w : ShellWords.variants(items).getFirst())
        {
            b.append(' ').append(w.quoted() || w.text().isEmpty() ? "'" + w.text() + "'" : w.text());
        }
        return b.toString();
    }

    String where()
    {
        return snippet.where();
    }
}
