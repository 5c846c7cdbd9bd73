package dev.tally.chaos.demo;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import dev.tally.stack.StackException;
import dev.tally.stack.TallyHome;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./tally demo}: the whole story on the local stack. Events flow from the generator through Kafka and the
 * engine into ClickHouse; mid-run the engine is killed with SIGKILL while ClickHouse holds one of its inserts, the
 * acknowledgement of the next insert is lost, the engine restarts and catches up; verify then compares ClickHouse
 * with the topic and a report follows. Exit 0 only when verify matched exactly; 3 when it did not; 1 when the demo
 * itself failed; 2 on a bad flag.
 */
@Command(name = "demo", mixinStandardHelpOptions = true, sortOptions = false,
    description = {"The whole story on the local stack: generated events through Kafka and the engine into " +
        "ClickHouse, a kill -9 while an insert is in flight, a lost ack, an exact verify, and a report.",
        "Uses the stack ./tally stack up manages (started if it is down) and leaves it and the engine running for " +
            "inspection; ./tally stack down stops them all."})
public final class DemoMain implements Callable<Integer>
{
    /**
     * 15M events at 100,000/s, about 4 minutes end to end on an idle 2-core VM: 150 s of events (the most gen, the
     * broker, the engine and ClickHouse sustain together there, with room for the catch-up after the kill), ~75 s
     * of verify re-reading the topic, and the start of the stack and the engine. 20M would not fit in 5 minutes.
     */
    static final long DEFAULT_EVENTS = 15_000_000;
    static final int DEFAULT_RATE = 100_000;

    @Option(names = "--events", description = "Events to produce. Default: ${DEFAULT-VALUE}.")
    long events = DEFAULT_EVENTS;

    @Option(names = "--rate", description = "Events per second, paced. Default: ${DEFAULT-VALUE}.")
    int rate = DEFAULT_RATE;

    @Option(names = "--keep-data", description = "Keep what earlier demos left (topics, tables, journal) and give " +
        "this run names of its own (tally-demo-<time>); by default the demo's data of an earlier run is removed first.")
    boolean keepData;

    @Option(names = "--down", description = "Stop the engine, and the stack if the demo started it, once the report " +
        "is out.")
    boolean down;

    @Option(names = "--bootstrap", paramLabel = "HOST:PORT", description = "Your own Kafka (with --clickhouse-url): " +
        "no local stack is started and no ClickHouse fault is injected; the engine is stopped at the end.")
    String bootstrap;

    @Option(names = "--clickhouse-url", paramLabel = "URL", description = "Your own ClickHouse (with --bootstrap); " +
        "credentials from TALLY_CLICKHOUSE_USER and TALLY_CLICKHOUSE_PASSWORD.")
    String clickhouseUrl;

    @Option(names = "--seed", description = "Seed of the generated stream. Default: ${DEFAULT-VALUE}.")
    long seed = 1;

    @Option(names = "--stack-dir", hidden = true, paramLabel = "DIR", description = "Tests: a folder of its own instead " +
        "of var/ (the stack's state and data on free ports, the demo's files), so a developer's stack is never touched.")
    Path stackDir;

    public static void main(final String[] args)
    {
        System.exit(run(System.out, System.err, args));
    }

    public static int run(final PrintStream out, final PrintStream err, final String... args)
    {
        final CommandLine cl = new CommandLine(new DemoMain());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setParameterExceptionHandler((e, a) ->
        {
            err.println("tally demo: " + e.getMessage() + " (see ./tally demo --help)");
            return 2;
        });
        cl.setExecutionExceptionHandler((e, c, parsed) ->
        {
            if (e instanceof IllegalArgumentException)
            {
                err.println("tally demo: " + e.getMessage() + " (see ./tally demo --help)");
                return 2;
            }
            if (e instanceof StackException)
            {
                err.println("tally demo: the local stack failed: " + e.getMessage());
                return 1;
            }
            err.println("tally demo: failed: " + (e.getMessage() != null && e instanceof IllegalStateException ?
                e.getMessage() : e + rootCause(e)));
            return 1;
        });
        return cl.execute(args);
    }

    private static String rootCause(final Throwable e)
    {
        Throwable root = e;
        while (root.getCause() != null && root.getCause() != root)
        {
            root = root.getCause();
        }
        return root == e ? "" : " (" + root + ")";
    }

    @Override
    public Integer call() throws Exception
    {
        final Path var = stackDir != null ? stackDir.toAbsolutePath().normalize() : TallyHome.var();
        final DemoSettings settings = new DemoSettings(events, rate, keepData, bootstrap, clickhouseUrl, down, seed,
            var, stackDir != null);
        return new Demo(settings, System.out).run() ? 0 : 3;
    }
}
