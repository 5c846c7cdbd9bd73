package dev.tally.chaos.docs;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import dev.tally.engine.RunMain;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The configuration reference of docs/operations.md, rendered from the picocli model of every launcher subcommand:
 * each visible option with its default and description, and for the commands that take defaults from the
 * environment ({@link RunMain.EnvironmentDefaults}) the variable each flag reads. Rendering from the model rather
 * than by hand is what keeps the reference from drifting: a new flag, a changed default or a renamed option changes
 * the rendered text, and {@code OperationsDocTest} fails until the document is rewritten.
 */
final class ConfigReference
{
    private static final String DEFAULT_VARIABLE = "${DEFAULT-VALUE}";
    /** A description's closing default: "... Default: 2s." or "... (default: 1, or the topic's run on --resume)." */
    private static final Pattern DEFAULT_SENTENCE = Pattern.compile("\\s*Default: (.+?)\\.?$");
    private static final Pattern DEFAULT_PARENTHESIS = Pattern.compile("\\s*\\(default: (.+)\\)(\\.?)$");

    private static final Path EMPTY_FILE = emptyFile();

    private ConfigReference()
    {
    }

    /** The markdown of every subcommand, in the launcher's order. */
    static String render()
    {
        final StringBuilder md = new StringBuilder();
        for (final Launcher.Subcommand s : Launcher.subcommands())
        {
            final boolean environment = readsEnvironment(s);
            renderCommand(md, "./tally " + s.name(), s.commandLine(), environment);
        }
        return md.toString();
    }

    /**
     * Options whose description names a default the code does not have: the described value, converted by the
     * option's own converter, must equal the field's initial value. Defaults described in words ("var/journal/
     * &lt;group&gt;", "now") of options that start out null are not checked.
     */
    static List<String> describedDefaultsThatDisagree()
    {
        final List<String> wrong = new ArrayList<>();
        for (final Launcher.Subcommand s : Launcher.subcommands())
        {
            collectDisagreements("./tally " + s.name(), s, List.of(), s.commandLine(), wrong);
        }
        return wrong;
    }

    private static void collectDisagreements(final String title, final Launcher.Subcommand s, final List<String> path,
        final CommandLine cl, final List<String> wrong)
    {
        for (final OptionSpec o : visibleOptions(cl.getCommandSpec()))
        {
            final DescribedDefault d = DescribedDefault.of(o);
            if (d.clause() == null || o.arity().max() == 0 || o.initialValue() == null)
            {
                continue;
            }
            final CommandLine root = s.commandLine();
            final List<String> args = new ArrayList<>(path);
            args.add(o.longestName());
            args.add(d.clause());
            try
            {
                root.parseArgs(args.toArray(String[]::new));
                final Object parsed = resolve(root, path).getCommandSpec().findOption(o.longestName()).getValue();
                if (!Objects.equals(parsed, o.initialValue()))
                {
                    wrong.add(title + " " + o.longestName() + ": described default '" + d.clause() + "' is " + parsed +
                        ", the code's is " + o.initialValue());
                }
            }
            catch (final CommandLine.MissingParameterException e)
            {
                // Required options left out: the value under test was converted and set before that check.
                final Object parsed = resolve(root, path).getCommandSpec().findOption(o.longestName()).getValue();
                if (!Objects.equals(parsed, o.initialValue()))
                {
                    wrong.add(title + " " + o.longestName() + ": described default '" + d.clause() + "' is " + parsed +
                        ", the code's is " + o.initialValue());
                }
            }
            catch (final CommandLine.ParameterException e)
            {
                wrong.add(title + " " + o.longestName() + ": described default '" + d.clause() + "' is not a value " +
                    "of the option (" + e.getMessage() + "); the code's is " + o.initialValue());
            }
        }
        for (final Map.Entry<String, CommandLine> sub : subcommands(cl))
        {
            final List<String> subPath = new ArrayList<>(path);
            subPath.add(sub.getKey());
            collectDisagreements(title + " " + sub.getKey(), s, subPath, sub.getValue(), wrong);
        }
    }

    private static CommandLine resolve(final CommandLine root, final List<String> path)
    {
        CommandLine cl = root;
        for (final String name : path)
        {
            cl = cl.getSubcommands().get(name);
        }
        return cl;
    }

    /** Whether the main installs {@link RunMain.EnvironmentDefaults} (TALLY_&lt;FLAG&gt; variables, --config). */
    static boolean readsEnvironment(final Launcher.Subcommand s)
    {
        return Repository.read(s.source()).contains("EnvironmentDefaults(");
    }

    /** The variable {@link RunMain.EnvironmentDefaults} reads for {@code option}, confirmed by asking it. */
    static String variable(final OptionSpec option)
    {
        final String name = "TALLY_" + option.longestName().replaceFirst("^--", "").toUpperCase(Locale.ROOT)
            .replace('-', '_');
        // A readable file, because the one variable that is not a flag's default, TALLY_CONFIG, is read at once.
        final String probe = EMPTY_FILE.toString();
        final String seen = new RunMain.EnvironmentDefaults(Map.of(name, probe), new String[0]).defaultValue(option);
        if (!probe.equals(seen))
        {
            throw new AssertionError(option.longestName() + ": EnvironmentDefaults does not read " + name +
                "; update ConfigReference.variable to its naming rule");
        }
        return name;
    }

    private static Path emptyFile()
    {
        try
        {
            final Path file = Files.createTempFile("tally-probe", ".properties");
            file.toFile().deleteOnExit();
            return file;
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }

    static List<OptionSpec> visibleOptions(final CommandSpec spec)
    {
        return spec.options().stream().filter(o -> !o.hidden() && !o.usageHelp() && !o.versionHelp()).toList();
    }

    /** Subcommands once each (picocli lists an alias under every name), in declaration order. */
    static Collection<Map.Entry<String, CommandLine>> subcommands(final CommandLine cl)
    {
        final LinkedHashSet<CommandLine> seen = new LinkedHashSet<>();
        return cl.getSubcommands().entrySet().stream().filter(e -> seen.add(e.getValue())).toList();
    }

    private static void renderCommand(final StringBuilder md, final String title, final CommandLine cl,
        final boolean environment)
    {
        final CommandSpec spec = cl.getCommandSpec();
        md.append("#### `").append(title).append("`\n\n");
        md.append(Markdown.text(String.join(" ", spec.usageMessage().description()))).append("\n\n");
        final List<OptionSpec> options = visibleOptions(spec);
        final Collection<Map.Entry<String, CommandLine>> subcommands = subcommands(cl);
        if (options.isEmpty() && subcommands.isEmpty())
        {
            md.append("No options.\n\n");
        }
        if (!subcommands.isEmpty())
        {
            md.append("Subcommands: ").append(String.join(", ",
                subcommands.stream().map(e -> "`" + e.getKey() + "`").toList())).append(".\n\n");
        }
        if (!options.isEmpty())
        {
            md.append(environment ? "| flag | default | variable | what |\n|---|---|---|---|\n" :
                "| flag | default | what |\n|---|---|---|\n");
            for (final OptionSpec o : options)
            {
                final DescribedDefault d = DescribedDefault.of(o);
                md.append("| ").append(flag(o)).append(" | ").append(d.rendered(o)).append(" | ");
                if (environment)
                {
                    md.append('`').append(variable(o)).append("` | ");
                }
                md.append(d.rest().isEmpty() ? "(no help text)" : Markdown.text(d.rest())).append(" |\n");
            }
            md.append('\n');
        }
        for (final Map.Entry<String, CommandLine> sub : subcommands)
        {
            renderCommand(md, title + " " + sub.getKey(), sub.getValue(), environment);
        }
    }

    /** {@code --name LABEL}, the label only when the code names one (picocli's own is the field name). */
    private static String flag(final OptionSpec o)
    {
        final String names = String.join(", ", o.names());
        final String label = o.paramLabel();
        final boolean takesValue = o.arity().max() > 0;
        return "`" + (takesValue && !label.startsWith("<") ? names + " " + Markdown.cell(label) : names) + "`";
    }

    /**
     * An option's default as its description states it, split off the rest of the description, with picocli's
     * {@code ${DEFAULT-VALUE}} replaced by the value.
     */
    record DescribedDefault(String clause, boolean interpolated, String rest)
    {
        static DescribedDefault of(final OptionSpec o)
        {
            final String description = String.join(" ", o.description()).strip();
            for (final Pattern p : List.of(DEFAULT_PARENTHESIS, DEFAULT_SENTENCE))
            {
                final Matcher m = p.matcher(description);
                if (m.find())
                {
                    String rest = description.substring(0, m.start()).strip();
                    if (!rest.isEmpty() && !rest.endsWith("."))
                    {
                        rest += ".";
                    }
                    final String raw = m.group(1).strip();
                    final boolean interpolated = raw.contains(DEFAULT_VARIABLE);
                    return new DescribedDefault(raw.replace(DEFAULT_VARIABLE, o.defaultValueString()), interpolated,
                        rest);
                }
            }
            return new DescribedDefault(null, false, description);
        }

        /** The default column: the described default, else what the option starts as. */
        String rendered(final OptionSpec o)
        {
            if (clause != null)
            {
                // A literal value: picocli's own, or one the test checks against the option's initial value.
                return interpolated || o.initialValue() != null ? Markdown.code(clause) : Markdown.text(clause);
            }
            if (o.arity().max() == 0)
            {
                return "off";
            }
            final Object initial = o.initialValue();
            if (initial == null || initial instanceof Collection<?> c && c.isEmpty())
            {
                return o.required() ? "required" : "none";
            }
            return Markdown.code(String.valueOf(initial));
        }
    }
}
