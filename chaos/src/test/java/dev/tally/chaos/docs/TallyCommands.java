package dev.tally.chaos.docs;

import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Checks a documented {@code ./tally} command line against the subcommand's real picocli model: it must name a
 * launcher subcommand and parse (no unknown flag, no bad value, no missing required option). Nothing is executed.
 * A placeholder value ({@code --from T1}) is not parsed, but its flag must exist and take a value.
 */
final class TallyCommands
{
    private TallyCommands()
    {
    }

    /** A subcommand named in a sentence: it must exist. */
    static List<String> named(final ShellWords.Word sub)
    {
        return sub.placeholder() || sub.text().equals("test") || Launcher.subcommand(sub.text()).isPresent() ?
            List.of() : List.of("./tally has no subcommand '" + sub.text() + "'");
    }

    /** The problems of one reading of the command's arguments; empty when it parses. */
    static List<String> check(final List<ShellWords.Word> words)
    {
        if (words.isEmpty() || List.of("-h", "--help", "help").contains(words.getFirst().text()))
        {
            return List.of();
        }
        final ShellWords.Word first = words.getFirst();
        if (first.placeholder())
        {
            return List.of();
        }
        final List<ShellWords.Word> rest = words.subList(1, words.size());
        if (first.text().equals("test"))
        {
            return MavenCommands.check(rest);
        }
        final Optional<Launcher.Subcommand> sub = Launcher.subcommand(first.text());
        if (sub.isEmpty())
        {
            return List.of("./tally has no subcommand '" + first.text() + "' (its COMMANDS: " +
                String.join(", ", Launcher.subcommands().stream().map(Launcher.Subcommand::name).toList()) + ")");
        }
        return parse(sub.get().commandLine(), rest);
    }

    private static List<String> parse(final CommandLine cl, final List<ShellWords.Word> words)
    {
        final List<String> args = new ArrayList<>();
        final List<String> placeholderFlags = new ArrayList<>();
        boolean placeholderPositional = false;
        for (final ShellWords.Word w : words)
        {
            final String t = w.text();
            final int eq = t.indexOf('=');
            if (!w.quoted() && t.startsWith("-") && eq > 0 && new ShellWords.Word(t.substring(eq + 1), false).placeholder())
            {
                placeholderFlags.add(t.substring(0, eq));
            }
            else if (w.placeholder() && t.endsWith("..."))
            {
                continue;
            }
            else if (w.placeholder() && !args.isEmpty() && args.getLast().startsWith("-") && !args.getLast().contains("="))
            {
                placeholderFlags.add(args.removeLast());
            }
            else if (w.placeholder())
            {
                placeholderPositional = true;
            }
            else
            {
                args.add(t);
            }
        }
        final CommandLine.ParseResult parsed;
        try
        {
            parsed = cl.parseArgs(args.toArray(String[]::new));
        }
        catch (final CommandLine.ParameterException e)
        {
            return List.of(e.getMessage());
        }
        final List<String> problems = new ArrayList<>();
        for (final String flag : placeholderFlags)
        {
            final Optional<OptionSpec> option = find(parsed, flag);
            if (option.isEmpty())
            {
                problems.add("Unknown option: '" + flag + "'");
            }
            else if (option.get().arity().max() == 0)
            {
                problems.add("option '" + flag + "' takes no value");
            }
        }
        CommandSpec deepest = parsed.commandSpec();
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand())
        {
            deepest = p.commandSpec();
        }
        if (placeholderPositional && deepest.positionalParameters().isEmpty())
        {
            problems.add("'" + deepest.qualifiedName() + "' takes no positional arguments");
        }
        return problems;
    }

    /** The option named {@code flag} on the command or subcommand chain that was parsed. */
    private static Optional<OptionSpec> find(final CommandLine.ParseResult parsed, final String flag)
    {
        for (CommandLine.ParseResult p = parsed; p != null; p = p.subcommand())
        {
            final OptionSpec o = p.commandSpec().findOption(flag);
            if (o != null)
            {
                return Optional.of(o);
            }
        }
        return Optional.empty();
    }
}
