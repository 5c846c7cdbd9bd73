package dev.tally.engine.backfill;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.Callable;

import dev.tally.engine.Durations;
import dev.tally.engine.EngineException;
import dev.tally.engine.KafkaClientSettings;
import dev.tally.engine.RunMain;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./tally backfill}: recompute the windows wholly inside a past range from the topic and land them under a
 * new generation, beside the live engine. Exit codes: 0 done, 1 a failure to fix, 2 a bad flag, 3 refused (the live
 * engine can still change the range) or done only in part. Flags also come from TALLY_&lt;FLAG&gt; variables or a
 * {@code --config} file, as for {@code ./tally run}.
 */
@Command(name = "backfill", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Recompute the minute and hour windows wholly inside [--from, --to) from Kafka and replace their " +
        "rows in ClickHouse under a new generation, while the live engine runs.")
public final class BackfillMain implements Callable<Integer>
{
    @Option(names = "--config", paramLabel = "FILE", description = "Properties file with defaults for any flag.")
    Path configFile;

    @Option(names = "--from", converter = Instants.class, paramLabel = "TIME",
        description = "Range start: ISO-8601 (UTC unless an offset is given) or epoch ms.")
    Long fromMs;

    @Option(names = "--to", converter = Instants.class, paramLabel = "TIME", description = "Range end (exclusive).")
    Long toMs;

    @Option(names = "--resume", paramLabel = "GENERATION",
        description = "Continue a backfill that was stopped or killed, from its last checkpoint, with its own plan.")
    int resume;

    @Option(names = "--live-group", description = "The live engine's consumer group, whose watermarks must have " +
        "passed the range ('none' when no engine processes the topic). Default: ${DEFAULT-VALUE}.")
    String liveGroup = "tally";

    @Option(names = "--bootstrap", description = "Kafka bootstrap servers. Default: ${DEFAULT-VALUE}.")
    String bootstrap = "127.0.0.1:19092";

    @Option(names = "--topic", description = "Input topic. Default: ${DEFAULT-VALUE}.")
    String topic = "events";

    @Option(names = "--kafka-config", paramLabel = "FILE",
        description = "Properties file of Kafka client settings (security.protocol, ssl.*, sasl.*), as for run.")
    Path kafkaConfig;

    @Option(names = "--clickhouse-url", description = "ClickHouse HTTP endpoint. Default: ${DEFAULT-VALUE}.")
    String clickhouseUrl = "http://127.0.0.1:18123";

    @Option(names = "--database", description = "ClickHouse database of the live engine. Default: ${DEFAULT-VALUE}.")
    String database = "tally";

    @Option(names = "--clickhouse-user", description = "ClickHouse user. Default: ${DEFAULT-VALUE}.")
    String clickhouseUser = "default";

    @Option(names = "--clickhouse-password-file", paramLabel = "FILE",
        description = "File holding the ClickHouse password (or set TALLY_CLICKHOUSE_PASSWORD).")
    Path clickhousePasswordFile;

    @Option(names = "--window", description = "minute, hour or both, as the live engine. Default: ${DEFAULT-VALUE}.")
    String window = "both";

    @Option(names = "--watermark-delay", converter = Durations.class, description = "As the live engine. Default: 2s.")
    Duration watermarkDelay = Duration.ofSeconds(2);

    @Option(names = "--allowed-lateness", converter = Durations.class, description = "As the live engine. Default: 30s.")
    Duration allowedLateness = Duration.ofSeconds(30);

    @Option(names = "--max-future-skew", converter = Durations.class,
        description = "As the live engine; the backfill reads from --from minus this. Default: 1h.")
    Duration maxFutureSkew = Duration.ofHours(1);

    @Option(names = "--batch-rows", description = "Rows per insert at most. Default: ${DEFAULT-VALUE}.")
    int batchRows = 100_000;

    @Option(names = "--batch-max-wait", converter = Durations.class,
        description = "Longest a row waits for its batch to fill. Default: 1s.")
    Duration batchMaxWait = Duration.ofSeconds(1);

    @Option(names = "--max-rate", paramLabel = "RECORDS_PER_S",
        description = "Read at most this many records per second, to leave room for the live engine (0: no limit). " +
            "Default: ${DEFAULT-VALUE}.")
    long maxRate;

    @Option(names = "--keep-superseded", description = "Do not delete the range's rows of older generations " +
        "afterwards (FINAL reads the new rows either way; keys the recomputation no longer produces would stay).")
    boolean keepSuperseded;

    @Option(names = "--journal-dir", paramLabel = "DIR",
        description = "The backfill's write-ahead journal. Default: var/journal/<its consumer group>.")
    Path journalDir;

    @Option(names = "--connect-timeout", converter = Durations.class,
        description = "How long to wait for Kafka and ClickHouse to answer at start. Default: 10s.")
    Duration connectTimeout = Duration.ofSeconds(10);

    String clickhousePassword = "";
    Map<String, String> kafkaClient = Map.of();

    public static void main(final String[] args)
    {
        System.exit(run(System.out, System.err, args));
    }

    /** Runs the command; returns its exit code. */
    public static int run(final PrintStream out, final PrintStream err, final String... args)
    {
        final CommandLine cl = new CommandLine(new BackfillMain());
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        try
        {
            final RunMain.EnvironmentDefaults defaults = new RunMain.EnvironmentDefaults(System.getenv(), args);
            defaults.refuseUnknownKeys(cl.getCommandSpec(), new CommandLine(new RunMain()).getCommandSpec());
            cl.setDefaultValueProvider(defaults);
        }
        catch (final IllegalArgumentException e)
        {
            err.println("tally backfill: " + e.getMessage());
            return 2;
        }
        cl.setParameterExceptionHandler((ex, a) ->
        {
            err.println("tally backfill: " + ex.getMessage() + " (see --help)");
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) ->
        {
            switch (ex)
            {
                case IllegalArgumentException e ->
                {
                    err.println("tally backfill: " + e.getMessage() + " (see --help)");
                    return 2;
                }
                case BackfillRefused e ->
                {
                    err.println("tally backfill: " + e.getMessage());
                    return 3;
                }
                case EngineException e ->
                {
                    err.println("tally backfill: " + e.getMessage());
                    return 1;
                }
                default -> throw ex;
            }
        });
        return cl.execute(args);
    }

    @Override
    public Integer call() throws Exception
    {
        if (resume < 0 || resume > Generations.MAX)
        {
            throw new IllegalArgumentException("--resume must be a generation in [1, " + Generations.MAX + "]");
        }
        if (resume > 0 && (fromMs != null || toMs != null))
        {
            throw new IllegalArgumentException("--resume continues a backfill with its own range; drop --from/--to");
        }
        if (maxRate < 0 || batchRows < 1)
        {
            throw new IllegalArgumentException("--max-rate must be >= 0 and --batch-rows >= 1");
        }
        clickhousePassword = RunMain.clickhousePassword(clickhousePasswordFile);
        kafkaClient = KafkaClientSettings.load(kafkaConfig);
        new Backfill(this, System.err).run();
        return 0;
    }
}
