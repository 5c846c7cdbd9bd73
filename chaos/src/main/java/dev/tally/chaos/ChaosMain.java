package dev.tally.chaos;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.time.Instant;
import java.util.concurrent.Callable;

import dev.tally.stack.StackException;
import dev.tally.stack.TallyHome;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./tally chaos}: starts a local stack of its own (free ports, a fresh work directory), lets events flow at a
 * fixed rate through the engine while the chosen scenarios inject faults, then runs {@code ./tally verify}. Exit 0
 * when ClickHouse matches the topic exactly (no duplicate, no loss, side output as expected), 3 when it does not,
 * 1 when the harness itself failed, 2 on a bad flag.
 */
@Command(name = "chaos", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Inject faults into a local stack while events flow through the engine, then verify exactly.")
public final class ChaosMain implements Callable<Integer>
{
    @Option(names = "--scenario", description = "Comma-separated: kills, insert-faults, clickhouse-restart, " +
        "broker-restart, broker-loss, rebalance, or all (everything but broker-restart). Default: ${DEFAULT-VALUE}.")
    String scenario = "kills,insert-faults";

    @Option(names = "--events", description = "Events to produce. Default: ${DEFAULT-VALUE}.")
    long events = 1_000_000;

    @Option(names = "--rate", description = "Events per second, paced. Default: ${DEFAULT-VALUE}.")
    int rate = 50_000;

    @Option(names = "--partitions", description = "Partitions of the topic. Default: ${DEFAULT-VALUE}.")
    int partitions = 8;

    @Option(names = "--kills", description = "Engine SIGKILLs; every third is repeated during the recovery. " +
        "Default: ${DEFAULT-VALUE}.")
    int kills = 5;

    @Option(names = "--insert-fail-rate", description = "Fraction of inserts hit by a fault, a third each failed " +
        "before apply, applied with the ack lost, and answered after the insert timeout. Default: ${DEFAULT-VALUE}.")
    double insertFailRate = 0.05;

    @Option(names = "--clickhouse-restarts", description = "ClickHouse kill -9 and restarts. Default: ${DEFAULT-VALUE}.")
    int clickhouseRestarts = 1;

    @Option(names = "--rebalances", description = "Joins of a second engine instance, alternately leaving and " +
        "killed. Default: ${DEFAULT-VALUE}.")
    int rebalances = 2;

    @Option(names = "--insert-timeout", description = "The engine's insert timeout in ms. Default: ${DEFAULT-VALUE}.")
    long insertTimeoutMs = 2_000;

    @Option(names = "--seed", description = "Seed of the events and of the fault schedule. Default: ${DEFAULT-VALUE}.")
    long seed = 1;

    @Option(names = "--work-dir", paramLabel = "DIR", description = "Where the run's stack, logs and journals go. " +
        "Default: var/chaos/<time>.")
    Path workDir;

    @Option(names = "--report", paramLabel = "FILE", description = "Append the run's row to this markdown file.")
    Path reportFile;

    public static void main(final String[] args)
    {
        System.exit(run(System.out, System.err, args));
    }

    public static int run(final PrintStream out, final PrintStream err, final String... args)
    {
        final CommandLine cl = new CommandLine(new ChaosMain());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setParameterExceptionHandler((e, a) ->
        {
            err.println("tally chaos: " + e.getMessage() + " (see ./tally chaos --help)");
            return 2;
        });
        cl.setExecutionExceptionHandler((e, c, parsed) ->
        {
            if (e instanceof IllegalArgumentException)
            {
                err.println("tally chaos: " + e.getMessage() + " (see ./tally chaos --help)");
                return 2;
            }
            if (e instanceof StackException)
            {
                err.println("tally chaos: the local stack failed: " + e.getMessage());
                return 1;
            }
            err.println("tally chaos: failed: " + e);
            return 1;
        });
        return cl.execute(args);
    }

    @Override
    public Integer call() throws Exception
    {
        final Path dir = workDir != null ? workDir :
            TallyHome.dir().resolve("var").resolve("chaos").resolve(Instant.now().toString().replace(':', '-'));
        final ChaosSettings settings = new ChaosSettings(Scenario.parse(scenario), events, rate, partitions, kills,
            insertFailRate, clickhouseRestarts, rebalances, seed, dir, Duration.ofMillis(insertTimeoutMs));
        Files.createDirectories(dir);
        final PrintStream out = System.out;
        final ChaosReport report = new ChaosRun(settings, out).run();
        out.print(report.text());
        out.println(report.markdownRow());
        if (reportFile != null)
        {
            append(reportFile, report.markdownRow());
        }
        return report.exact() ? 0 : 3;
    }

    private static void append(final Path file, final String row) throws IOException
    {
        final String text = Files.exists(file) ? row + "\n" : ChaosReport.TABLE_HEADER + "\n" + row + "\n";
        Files.writeString(file, text, StandardCharsets.UTF_8, StandardOpenOption.CREATE, StandardOpenOption.APPEND);
    }
}
