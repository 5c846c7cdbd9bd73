package dev.tally.chaos.docs;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Checks a documented {@code perf-scripts/<x>.sh} command: the script exists and is executable, and its arguments
 * are ones the script accepts. A script either parses its flags with a {@code while ... case "$1" in} loop, whose
 * arms are read here (an arm that does {@code shift 2} takes a value), or hands its arguments to JMH, which parses
 * them itself ({@link JmhArguments}). A script that does neither must be taught here.
 */
final class PerfScripts
{
    private static final Pattern CASE = Pattern.compile("case \"\\$1\" in(.*?)\\besac\\b", Pattern.DOTALL);
    private static final Pattern ARM = Pattern.compile("(?m)^\\s*([^\\s()*][^\\s()]*)\\)(.*?);;");
    private static final Pattern TO_JMH = Pattern.compile("benchmarks\\.jar\"?\\s.*\"\\$@\"");
    /** A before/after script: {@code BASE ROUNDS REGEX [JMH options...]}, the pattern and the rest handed to JMH. */
    private static final Pattern AB_TO_JMH = Pattern.compile("-jar \"\\$jar\" \"\\$regex\".*\"\\$@\"");
    /** A commit, branch, tag or HEAD~n: word characters and {@code . / ~ ^ -}, not starting with a dash. */
    private static final Pattern REVISION = Pattern.compile("\\w[\\w./~^-]*");

    private PerfScripts()
    {
    }

    static List<String> check(final String script, final List<ShellWords.Word> words)
    {
        final Path file = Repository.HOME.resolve(script);
        if (!Files.isRegularFile(file))
        {
            return List.of(script + " does not exist");
        }
        if (!Files.isExecutable(file))
        {
            return List.of(script + " is not executable (chmod +x)");
        }
        final String text = Repository.read(file);
        final Matcher cases = CASE.matcher(text);
        if (cases.find())
        {
            return checkFlags(script, arms(cases.group(1)), words);
        }
        if (TO_JMH.matcher(text).find())
        {
            return JmhArguments.check(words);
        }
        if (AB_TO_JMH.matcher(text).find())
        {
            return checkBeforeAfter(script, words);
        }
        return List.of(script + " neither parses its flags with case \"$1\" nor passes them to JMH; teach " +
            PerfScripts.class.getSimpleName() + " how it takes arguments");
    }

    private static List<String> checkBeforeAfter(final String script, final List<ShellWords.Word> words)
    {
        if (words.size() < 3)
        {
            return List.of(script + " takes BASE ROUNDS REGEX [JMH options...], got " + words.size() + " arguments");
        }
        final List<String> problems = new ArrayList<>();
        final String base = words.get(0).text();
        if (!REVISION.matcher(base).matches())
        {
            problems.add(script + ": '" + base + "' is no git revision");
        }
        final String rounds = words.get(1).text();
        if (!rounds.matches("[1-9]\\d*"))
        {
            problems.add(script + ": ROUNDS '" + rounds + "' is not a positive number");
        }
        problems.addAll(JmhArguments.check(words.subList(2, words.size())));
        return problems;
    }

    /** Each flag of the script's case arms, and whether it takes a value. */
    static Map<String, Boolean> arms(final String caseBody)
    {
        final Map<String, Boolean> flags = new LinkedHashMap<>();
        final Matcher m = ARM.matcher(caseBody);
        while (m.find())
        {
            for (final String flag : m.group(1).split("\\|"))
            {
                flags.put(flag, m.group(2).contains("shift 2"));
            }
        }
        return flags;
    }

    private static List<String> checkFlags(final String script, final Map<String, Boolean> flags,
        final List<ShellWords.Word> words)
    {
        final List<String> problems = new ArrayList<>();
        for (int i = 0; i < words.size(); i++)
        {
            final String w = words.get(i).text();
            final Boolean takesValue = flags.get(w);
            if (takesValue == null)
            {
                problems.add(script + " does not accept '" + w + "' (it accepts " + String.join(", ", flags.keySet()) + ")");
                if (i + 1 < words.size() && !words.get(i + 1).text().startsWith("-"))
                {
                    i++; // the unknown flag's value, most likely
                }
            }
            else if (takesValue)
            {
                if (i + 1 >= words.size())
                {
                    problems.add(script + " " + w + " needs a value");
                }
                i++;
            }
        }
        return problems;
    }
}
