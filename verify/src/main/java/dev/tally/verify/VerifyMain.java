package dev.tally.verify;

import java.io.IOException;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.Callable;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.KafkaException;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./tally verify}: recomputes the rollups and the side output from the topic itself, with nothing but the
 * wire-format decoder and the rules of docs/windowing.md, and diffs them against ClickHouse on two read paths.
 * Exit codes: 0 exact match, 3 mismatch, 1 something to fix first (Kafka or ClickHouse unreachable, topic or
 * database missing, {@code --wait} timed out), 2 a bad flag or value. With {@code --summary FILE} the verdict is
 * also written as a properties file, for harnesses that run verify in-process through {@link #run}.
 */
@Command(name = "verify", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Recompute the rollups from the topic and diff them against ClickHouse, exactly.")
public final class VerifyMain implements Callable<Integer>
{
    /** Environment variable holding the ClickHouse password (unless --clickhouse-password-file is given). */
    public static final String PASSWORD_ENV = "TALLY_CLICKHOUSE_PASSWORD";

    @Option(names = "--bootstrap", description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
    String bootstrap = "127.0.0.1:19092";

    @Option(names = "--topic", description = "Input topic (default: ${DEFAULT-VALUE}).")
    String topic = "events";

    @Option(names = "--group", description = "The engine's consumer group, for --wait (default: ${DEFAULT-VALUE}).")
    String group = "tally";

    @Option(names = "--clickhouse-url", description = "ClickHouse HTTP endpoint (default: ${DEFAULT-VALUE}).")
    String clickhouseUrl = "http://127.0.0.1:18123";

    @Option(names = "--database", description = "ClickHouse database (default: ${DEFAULT-VALUE}).")
    String database = "tally";

    @Option(names = "--clickhouse-user", description = "ClickHouse user (default: ${DEFAULT-VALUE}).")
    String clickhouseUser = "default";

    @Option(names = "--clickhouse-password-file", paramLabel = "FILE",
        description = "File holding the ClickHouse password (default: $" + PASSWORD_ENV + ", else none).")
    Path clickhousePasswordFile;

    @Option(names = "--window", description = "minute, hour or both; as the engine runs (default: ${DEFAULT-VALUE}).")
    String window = "both";

    @Option(names = "--watermark-delay", converter = DurationConverter.class,
        description = "As the engine runs (default: 2s).")
    Duration watermarkDelay = Duration.ofSeconds(2);

    @Option(names = "--allowed-lateness", converter = DurationConverter.class,
        description = "As the engine runs (default: 30s).")
    Duration allowedLateness = Duration.ofSeconds(30);

    @Option(names = "--max-future-skew", converter = DurationConverter.class,
        description = "As the engine runs (default: 1h).")
    Duration maxFutureSkew = Duration.ofHours(1);

    @Option(names = "--max-diff", description = "Differing keys to print per check (default: ${DEFAULT-VALUE}).")
    int maxDiff = 20;

    @Option(names = "--wait", description = "First wait until the consumer group has caught up with the topic.")
    boolean await;

    @Option(names = "--wait-timeout", converter = DurationConverter.class,
        description = "Give up waiting after this long (default: 10m).")
    Duration waitTimeout = Duration.ofMinutes(10);

    @Option(names = "--against-seed",
        description = "Also check that every record equals the generator's event for its tally.idx header.")
    boolean againstSeed;

    @Option(names = "--gen-flags", paramLabel = "FLAGS",
        description = "With --against-seed: the event-shaping flags tally gen ran with, as one string.")
    String genFlags;

    @Option(names = "--summary", paramLabel = "FILE",
        description = "Also write the verdict as a java.util.Properties file (on exit 0 or 3), replaced atomically.")
    Path summaryFile;

    private final PrintStream out;
    private final PrintStream err;

    private VerifyMain(final PrintStream out, final PrintStream err)
    {
        this.out = out;
        this.err = err;
    }

    public static void main(final String[] args)
    {
        System.exit(run(System.out, System.err, args));
    }

    /**
     * Run verify and return its exit code, without exiting.
     *
     * @param out receives the report.
     * @param err receives progress and the one-line error, if any.
     * @param args command-line arguments.
     * @return 0 exact match, 1 environment problem, 2 bad flag, 3 mismatch.
     */
    public static int run(final PrintStream out, final PrintStream err, final String... args)
    {
        final CommandLine commandLine = new CommandLine(new VerifyMain(out, err));
        commandLine.setOut(new PrintWriter(out, true));
        commandLine.setErr(new PrintWriter(err, true));
        commandLine.setParameterExceptionHandler((e, a) ->
        {
            err.println("tally verify: " + e.getMessage() + " (see ./tally verify --help)");
            return 2;
        });
        commandLine.setExecutionExceptionHandler((e, cl, parsed) ->
        {
            if (e instanceof VerifyException v)
            {
                err.println("tally verify: " + v.getMessage());
                return v.exitCode();
            }
            err.println("tally verify: failed: " + e);
            return 1;
        });
        return commandLine.execute(args);
    }

    @Override
    public Integer call()
    {
        if (summaryFile != null)
        {
            Summary.prepare(summaryFile);
        }
        final WindowRules rules = rules();
        if (maxDiff < 0)
        {
            throw new VerifyException(2, "--max-diff must be zero or positive (see ./tally verify --help)");
        }
        if (genFlags != null && !againstSeed)
        {
            throw new VerifyException(2, "--gen-flags only applies with --against-seed");
        }
        final GenShape shape = againstSeed ? GenShape.parse(genFlags) : null;
        final String password = password();
        final Summary summary = new Summary();
        final int code;
        try (Admin admin = Admin.create(TopicSnapshot.adminProperties(bootstrap));
            ClickHouseSource clickhouse = new ClickHouseSource(clickhouseUrl, clickhouseUser, password, database))
        {
            final TopicSnapshot snapshot = TopicSnapshot.take(admin, bootstrap, topic);
            clickhouse.requireReachable();
            if (await)
            {
                CatchUpWait.await(admin, group, snapshot, waitTimeout, err);
            }
            clickhouse.requireSchema(rules);
            final SeedCheck seedCheck = shape == null ? null : new SeedCheck(shape, snapshot.partitions(), maxDiff);
            final Expected expected = GroundTruth.compute(bootstrap, snapshot, rules, seedCheck, err);
            code = Verdict.compare(snapshot, expected, clickhouse, database + " at " + clickhouseUrl, rules, seedCheck,
                maxDiff, out, summary);
        }
        catch (final KafkaException e)
        {
            throw TopicSnapshot.unreachable(bootstrap, e);
        }
        if (summaryFile != null)
        {
            summary.write(summaryFile);
        }
        return code;
    }

    private WindowRules rules()
    {
        final boolean minute = window.equals("minute") || window.equals("both");
        final boolean hour = window.equals("hour") || window.equals("both");
        try
        {
            return new WindowRules(watermarkDelay.toMillis(), allowedLateness.toMillis(), maxFutureSkew.toMillis(),
                minute, hour);
        }
        catch (final IllegalArgumentException e)
        {
            throw new VerifyException(2, e.getMessage() + " (see ./tally verify --help)");
        }
    }

    private String password()
    {
        if (clickhousePasswordFile != null)
        {
            try
            {
                return Files.readString(clickhousePasswordFile, StandardCharsets.UTF_8).strip();
            }
            catch (final IOException e)
            {
                throw new VerifyException(2, "cannot read --clickhouse-password-file " + clickhousePasswordFile + ": " +
                    e.getMessage());
            }
        }
        final String env = System.getenv(PASSWORD_ENV);
        return env == null ? "" : env;
    }
}
