package dev.tally.chaos.docs;

import java.io.IOException;
import java.nio.file.Files;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Every command shown in README.md and docs/*.md (code blocks and inline code) is checked against what it names:
 * {@code ./tally <sub> ...} parses with the subcommand's real picocli model, {@code perf-scripts/<x>.sh ...} names an
 * executable script and only arguments it accepts, {@code java -jar ...} names a jar a module builds and JMH
 * arguments JMH accepts, {@code mvn ...} names modules and test classes that exist, and {@code NAME=value} in front
 * of a command names a variable the code reads. Inline code that only names a subcommand ({@code ./tally plot} in a
 * sentence) is a reference, not a command line: the subcommand must exist. Nothing is executed; which commands something does execute, and
 * what, is {@link #EXECUTED}, printed with every command the test found.
 */
class DocCommandsTest
{
    /** What runs a command of each kind end to end, checked to still say so. */
    record Evidence(String file, String contains, String how)
    {
    }

    static final Map<String, List<Evidence>> EXECUTED = executed();
    /** Runs every perf script once at a tiny size, from {@code .ci/run}. */
    static final String SMOKE = "perf-scripts/smoke.sh";
    static final String SMOKE_TEXT = Repository.read(Repository.HOME.resolve(SMOKE));

    private static Map<String, List<Evidence>> executed()
    {
        final Map<String, List<Evidence>> m = new LinkedHashMap<>();
        m.put("./tally demo", List.of(
            new Evidence(".ci/run", "./tally demo --events 200000 --rate 20000 --down", "CI, through the launcher"),
            new Evidence("chaos/src/test/java/dev/tally/chaos/demo/DemoCommandTest.java", "JvmProcess.of(DemoMain",
                "DemoMain in a child JVM, 200,000 events")));
        m.put("./tally test", List.of(new Evidence(".ci/run", "./tally test", "CI, through the launcher")));
        m.put("./tally stack", List.of(
            new Evidence("stack/src/test/java/dev/tally/stack/LocalStackTest.java", "LocalStack.up(",
                "what up/status/down call, in-process"),
            new Evidence("stack/src/test/java/dev/tally/stack/CliTest.java", "new StackMain()", "flag errors")));
        m.put("./tally gen", List.of(
            new Evidence("gen/src/test/java/dev/tally/gen/GenMainTest.java", "GenMain.run(", "in-process"),
            new Evidence("gen/src/test/java/dev/tally/gen/GenKafkaTest.java", "JvmProcess.of(GenMain",
                "a child JVM killed mid-run, then --resume")));
        m.put("./tally run", List.of(
            new Evidence("engine/src/test/java/dev/tally/engine/EngineKillRecoveryTest.java",
                "JvmProcess.of(\"dev.tally.engine.RunMain\")", "child JVMs, SIGKILLed"),
            new Evidence("verify/src/test/java/dev/tally/verify/eos/EosStack.java",
                "JvmProcess.of(\"dev.tally.engine.RunMain\")",
                "child JVMs of CrashPointTest, HandOverTest, ClickHouseStallTest, AtLeastOnceBaselineTest")));
        m.put("./tally verify", List.of(
            new Evidence("verify/src/test/java/dev/tally/verify/VerifyStackTest.java", "VerifyMain.run(", "in-process"),
            new Evidence("verify/src/test/java/dev/tally/verify/eos/EosStack.java", "VerifyMain.run(",
                "in-process after every engine test of the verify module")));
        m.put("./tally backfill", List.of(new Evidence("verify/src/test/java/dev/tally/verify/eos/BackfillTest.java",
            "JvmProcess.of(\"dev.tally.engine.backfill.BackfillMain\")", "child JVMs, one killed and resumed")));
        m.put("./tally chaos", List.of(new Evidence("chaos/src/test/java/dev/tally/chaos/ChaosRunTest.java",
            "new ChaosRun(", "the harness ChaosMain runs, in-process; ChaosMain's own flags are only parsed")));
        m.put("./tally plot", List.of(new Evidence("chaos/src/test/java/dev/tally/chaos/plot/PlotMainTest.java",
            "PlotMain.run(", "in-process")));
        return m;
    }

    @Test
    void everyDocumentedCommandParses()
    {
        final List<DocCommand> commands = DocCommand.in(Repository.markdownFiles());
        assertThat(commands).as("commands found in the docs (a scanner finding none would pass anything)")
            .hasSizeGreaterThan(40);
        final Set<String> variables = knownVariables();
        final List<String> failures = new ArrayList<>();
        final StringBuilder report = new StringBuilder("commands in the docs, checked:\n");
        for (final DocCommand c : commands)
        {
            final List<String> problems = problems(c);
            c.assignments().stream().filter(v -> !variables.contains(v))
                .forEach(v -> problems.add(v + "= names a variable nothing reads"));
            problems.forEach(p -> failures.add(c.where() + ": " + c.text() + "\n      " + p));
            report.append(problems.isEmpty() ? "  ok    " : "  FAIL  ").append(c.where()).append("  ").append(c.text())
                .append("\n        executed: ").append(executedBy(c)).append('\n');
        }
        System.out.print(report);
        assertThat(failures).as("documented commands that do not parse").isEmpty();
    }

    @Test
    void theExecutionMapNamesTestsThatStillRunThoseCommands()
    {
        for (final Map.Entry<String, List<Evidence>> e : EXECUTED.entrySet())
        {
            assertThat(Launcher.subcommand(e.getKey().replace("./tally ", "")).isPresent() ||
                e.getKey().equals("./tally test")).as("%s is a launcher subcommand", e.getKey()).isTrue();
            for (final Evidence ev : e.getValue())
            {
                final var file = Repository.HOME.resolve(ev.file());
                assertThat(file).as("%s: evidence file", e.getKey()).exists();
                assertThat(Repository.read(file)).as("%s: %s still runs it", e.getKey(), ev.file()).contains(ev.contains());
            }
        }
    }

    @Test
    void everyPerfScriptRunsInTheCiSmoke() throws IOException
    {
        assertThat(Repository.read(Repository.HOME.resolve(".ci/run"))).as(".ci/run runs the smoke")
            .contains("perf-scripts/smoke.sh");
        final List<String> missing = new ArrayList<>();
        try (var scripts = Files.list(Repository.HOME.resolve("perf-scripts")))
        {
            scripts.map(f -> "perf-scripts/" + f.getFileName()).filter(f -> f.endsWith(".sh"))
                .filter(f -> !f.equals(SMOKE)).filter(f -> !SMOKE_TEXT.contains(f + " ")).sorted().forEach(missing::add);
        }
        assertThat(missing).as("perf scripts that %s does not run", SMOKE).isEmpty();
    }

    /** The problems of every reading of the command (each alternative its notation stands for). */
    static List<String> problems(final DocCommand c)
    {
        final Set<String> problems = new TreeSet<>();
        for (final List<ShellWords.Word> words : ShellWords.variants(c.items()))
        {
            problems.addAll(switch (c.kind())
            {
                case TALLY -> c.snippet().inline() && words.size() == 1 ? TallyCommands.named(words.getFirst()) :
                    TallyCommands.check(words);
                case SCRIPT -> PerfScripts.check(c.program(), words);
                case JAVA_JAR -> JmhArguments.checkJar(words);
                case MAVEN -> MavenCommands.check(words);
            });
        }
        return new ArrayList<>(problems);
    }

    private static String executedBy(final DocCommand c)
    {
        if (c.kind() == DocCommand.Kind.SCRIPT && SMOKE_TEXT.contains(c.program() + " "))
        {
            return "perf-scripts/smoke.sh in .ci/run, at a tiny size; the full-size runs by hand, outputs committed";
        }
        if (c.kind() != DocCommand.Kind.TALLY)
        {
            return c.kind() == DocCommand.Kind.MAVEN ? "not as written; ./tally test runs mvn verify" :
                "no: run by hand, outputs committed";
        }
        final List<ShellWords.Word> words = ShellWords.variants(c.items()).getFirst();
        final String key = words.isEmpty() ? "" : "./tally " + words.getFirst().text();
        final List<Evidence> evidence = EXECUTED.get(key);
        if (evidence == null)
        {
            return words.isEmpty() ? "no (prints the usage)" : "no";
        }
        return String.join("; ", evidence.stream().map(e -> fileName(e.file()) + " (" + e.how() + ")").toList());
    }

    private static String fileName(final String path)
    {
        return path.endsWith(".java") ? path.substring(path.lastIndexOf('/') + 1) : path;
    }

    /** Variables a command may be prefixed with: what the code reads, and the TALLY_<FLAG> defaults. */
    private static Set<String> knownVariables()
    {
        final Set<String> known = new TreeSet<>(EnvironmentVariables.read().keySet());
        for (final Launcher.Subcommand s : Launcher.subcommands())
        {
            if (ConfigReference.readsEnvironment(s))
            {
                s.commandLine().getCommandSpec().options().stream().filter(o -> !o.usageHelp() && !o.versionHelp())
                    .forEach(o -> known.add(ConfigReference.variable(o)));
            }
        }
        return known;
    }
}
