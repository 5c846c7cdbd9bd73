package dev.tally.engine;

import java.io.IOException;
import java.net.InetSocketAddress;

import java.io.PrintStream;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Locale;
import java.util.Properties;
import java.util.concurrent.Callable;

import dev.tally.engine.http.EngineHttp;
import dev.tally.engine.sink.CrashPoint;

import org.agrona.CloseHelper;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./tally run}: consume the events topic and land minute and hour rollups in ClickHouse. Every flag can
 * also come from a properties file ({@code --config}, key = flag without dashes) or from an environment variable
 * {@code TALLY_<FLAG>} (upper case, dashes as underscores); a flag on the command line wins, then the environment,
 * then the file. The ClickHouse password is never a flag: TALLY_CLICKHOUSE_PASSWORD or --clickhouse-password-file.
 */
@Command(name = "run", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Consume events from Kafka, compute event-time rollups per minute and hour, insert them into ClickHouse.")
public final class RunMain implements Callable<Integer>
{
    @Option(names = "--config", paramLabel = "FILE", description = "Properties file with defaults for any flag.")
    Path configFile;

    @Option(names = "--bootstrap", description = "Kafka bootstrap servers. Default: ${DEFAULT-VALUE}.")
    String bootstrap = "127.0.0.1:19092";

    @Option(names = "--topic", description = "Input topic. Default: ${DEFAULT-VALUE}.")
    String topic = "events";

    @Option(names = "--group", description = "Kafka consumer group. Default: ${DEFAULT-VALUE}.")
    String group = "tally";

    @Option(names = "--dlq-topic", description = "Kafka topic for side-output records ('' for none). Default: ${DEFAULT-VALUE}.")
    String deadLetterTopic = "rollups.dlq";

    @Option(names = "--kafka-config", paramLabel = "FILE",
        description = "Properties file of Kafka client settings (security.protocol, ssl.*, sasl.*) for every Kafka client.")
    Path kafkaConfig;

    @Option(names = "--clickhouse-url", description = "ClickHouse HTTP endpoint. Default: ${DEFAULT-VALUE}.")
    String clickhouseUrl = "http://127.0.0.1:18123";

    @Option(names = "--database", description = "ClickHouse database (created if missing). Default: ${DEFAULT-VALUE}.")
    String database = "tally";

    @Option(names = "--clickhouse-user", description = "ClickHouse user. Default: ${DEFAULT-VALUE}.")
    String clickhouseUser = "default";

    @Option(names = "--clickhouse-password-file", paramLabel = "FILE",
        description = "File holding the ClickHouse password (or set TALLY_CLICKHOUSE_PASSWORD).")
    Path clickhousePasswordFile;

    @Option(names = "--window", description = "minute, hour or both. Default: ${DEFAULT-VALUE}.")
    String window = "both";

    @Option(names = "--watermark-delay", converter = Durations.class,
        description = "A partition's watermark trails its largest event time by this much. Default: 2s.")
    Duration watermarkDelay = Duration.ofSeconds(2);

    @Option(names = "--allowed-lateness", converter = Durations.class,
        description = "How long after its end (by the watermark) a window still takes records; later ones go to " +
            "the side output. Default: 30s.")
    Duration allowedLateness = Duration.ofSeconds(30);

    @Option(names = "--max-future-skew", converter = Durations.class,
        description = "Records whose event time is further ahead of their Kafka timestamp go to the side output " +
            "as future. Default: 1h.")
    Duration maxFutureSkew = Duration.ofHours(1);

    @Option(names = "--emit-interval", converter = Durations.class, description = "Early firing period. Default: 1s.")
    Duration emitInterval = Duration.ofSeconds(1);

    @Option(names = "--batch-rows", description = "Rows per insert at most. Default: ${DEFAULT-VALUE}.")
    int batchRows = 100_000;

    @Option(names = "--batch-max-wait", converter = Durations.class,
        description = "Longest a row waits for its batch to fill. Default: 1s.")
    Duration batchMaxWait = Duration.ofSeconds(1);

    @Option(names = "--async-insert", description = "Use ClickHouse async inserts (for comparison).")
    boolean asyncInsert;

    @Option(names = "--stop-at-end",
        description = "Exit 0 once caught up with the end offsets seen at start and everything is inserted.")
    boolean stopAtEnd;

    @Option(names = "--ring-size", description = "Records ring slots (power of two). Default: ${DEFAULT-VALUE}.")
    int ringSize = 1 << 16;

    @Option(names = "--batches-in-flight", description = "Batches between encoder and writer. Default: ${DEFAULT-VALUE}.")
    int batchesInFlight = 8;

    @Option(names = "--eos-mode", paramLabel = "MODE",
        description = "exactly-once (journal, tokens, ordered commit) or at-least-once (the naive baseline, for " +
            "comparison only; needs its own --database). Default: ${DEFAULT-VALUE}.")
    String eosMode = "exactly-once";

    @Option(names = "--insert-timeout", converter = Durations.class,
        description = "Longest one insert may take before it is re-sent (same bytes, same token). Default: 60s.")
    Duration insertTimeout = Duration.ofSeconds(60);

    @Option(names = "--commit-interval", converter = Durations.class,
        description = "at-least-once only: how often consumer positions are committed. Default: 5s.")
    Duration commitInterval = Duration.ofSeconds(5);

    @Option(names = "--journal-dir", paramLabel = "DIR",
        description = "Write-ahead journal directory, one per instance. Default: var/journal/<group>.")
    Path journalDir;

    @Option(names = "--journal-sync", description = "fsync the journal on every append (survives power loss).")
    boolean journalSync;

    @Option(names = "--session-timeout", converter = Durations.class,
        description = "Consumer group session timeout: how soon a dead instance's partitions move. Default: 10s.")
    Duration sessionTimeout = Duration.ofSeconds(10);

    @Option(names = "--metrics-address", paramLabel = "HOST:PORT|off",
        description = "Where /metrics, /dashboard and /api/series listen (port 0: any free port; off: none). " +
            "Default: ${DEFAULT-VALUE}.")
    String metricsAddress = "127.0.0.1:9464";

    @Option(names = "--latency-dir", paramLabel = "DIR",
        description = "Where the end-to-end latency interval log (.hlog) and percentiles (.hgrm) go. " +
            "Default: var/latency/<group>.")
    Path latencyDir;

    @Option(names = "--crash-at", hidden = true, paramLabel = "POINT[:N]",
        description = "Tests only (needs TALLY_TEST_CRASH_POINTS=1): halt at the N-th time the writer reaches POINT.")
    String crashAt;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(final String[] args)
    {
        System.exit(run(System.out, System.err, args));
    }

    /** Runs the command and returns its exit code: 0 done, 1 a failure to fix, 2 a bad flag or value. */
    public static int run(final PrintStream out, final PrintStream err, final String... args)
    {
        final CommandLine cl = new CommandLine(new RunMain());
        cl.setOut(new java.io.PrintWriter(out, true));
        cl.setErr(new java.io.PrintWriter(err, true));
        try
        {
            final EnvironmentDefaults defaults = new EnvironmentDefaults(System.getenv(), args);
            defaults.refuseUnknownKeys(cl.getCommandSpec(),
                new CommandLine(new dev.tally.engine.backfill.BackfillMain()).getCommandSpec());
            cl.setDefaultValueProvider(defaults);
        }
        catch (final IllegalArgumentException e)
        {
            err.println("tally run: " + e.getMessage());
            return 2;
        }
        cl.setParameterExceptionHandler((ex, a) ->
        {
            err.println("tally run: " + ex.getMessage() + " (see --help)");
            return 2;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) ->
        {
            if (ex instanceof IllegalArgumentException)
            {
                err.println("tally run: " + ex.getMessage() + " (see --help)");
                return 2;
            }
            if (ex instanceof EngineException)
            {
                err.println("tally run: " + ex.getMessage());
                return 1;
            }
            throw ex;
        });
        return cl.execute(args);
    }

    @Override
    public Integer call() throws Exception
    {
        final EngineConfig config = config().conclude();
        armCrashPoint(crashAt, System.getenv(CrashPoint.ENABLE_VARIABLE));
        final InetSocketAddress httpAddress = httpAddress(metricsAddress);
        final PrintStream err = System.err;
        final Engine engine = Engine.start(config);
        final EngineHttp http;
        try
        {
            http = httpAddress == null ? null : EngineHttp.start(httpAddress, engine.metrics().registry(), engine.series());
        }
        catch (final IOException e)
        {
            engine.close();
            throw new EngineException("cannot listen on " + metricsAddress + " for /metrics (" + e.getMessage() +
                "); pass --metrics-address HOST:PORT, port 0 for any free one, or off");
        }
        final StatusLine status = new StatusLine(engine, err);
        // SIGTERM: stop the stages, then say what was done, as a normal end would.
        final Thread hook = new Thread(() ->
        {
            CloseHelper.closeAll(engine, http);
            status.printSummary();
        }, "tally-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        if (http != null)
        {
            final String base = "http://" + http.host() + ":" + http.port();
            err.println("tally run: metrics at " + base + "/metrics, dashboard at " + base + "/dashboard");
        }
        if (engine.reporter().intervalLog() != null)
        {
            err.println("tally run: end-to-end latency in " + engine.reporter().intervalLog() + " and " +
                engine.reporter().totalPercentiles());
        }
        try
        {
            while (engine.failure() == null && !(config.stopAtEnd && engine.finished()))
            {
                Thread.sleep(200);
                status.maybePrint();
            }
        }
        finally
        {
            CloseHelper.closeAll(engine, http);
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        status.printSummary();
        if (engine.failure() != null)
        {
            err.println("tally run: failed: " + engine.failure());
            return 1;
        }
        return 0;
    }

    EngineConfig config() throws IOException
    {
        final EngineConfig c = new EngineConfig();
        c.bootstrap = bootstrap;
        c.topic = topic;
        c.group = group;
        c.deadLetterTopic = deadLetterTopic;
        c.kafkaClient = KafkaClientSettings.load(kafkaConfig);
        c.clickhouseUrl = clickhouseUrl;
        c.database = database;
        c.clickhouseUser = clickhouseUser;
        c.clickhousePassword = password();
        c.window = window;
        c.watermarkDelay = watermarkDelay;
        c.allowedLateness = allowedLateness;
        c.maxFutureSkew = maxFutureSkew;
        c.emitInterval = emitInterval;
        c.batchRows = batchRows;
        c.batchMaxWait = batchMaxWait;
        c.asyncInsert = asyncInsert;
        c.stopAtEnd = stopAtEnd;
        c.recordsRingSize = ringSize;
        c.batchesInFlight = batchesInFlight;
        c.eosMode = EosMode.parse(eosMode);
        c.journalDir = journalDir;
        c.journalSync = journalSync;
        c.sessionTimeout = sessionTimeout;
        c.commitInterval = commitInterval;
        c.insertTimeout = insertTimeout;
        c.latencyDir = latencyDir != null ? latencyDir :
            Path.of(System.getProperty("tally.home", "."), "var", "latency", group);
        return c;
    }

    /** HOST:PORT, :PORT or PORT (loopback), or off; null for off. */
    static InetSocketAddress httpAddress(final String spec)
    {
        if (spec == null || spec.equalsIgnoreCase("off") || spec.isEmpty())
        {
            return null;
        }
        final int colon = spec.lastIndexOf(':');
        final String host = colon <= 0 ? "127.0.0.1" : spec.substring(0, colon);
        final String port = colon < 0 ? spec : spec.substring(colon + 1);
        try
        {
            final int p = Integer.parseInt(port);
            if (p < 0 || p > 65535)
            {
                throw new NumberFormatException();
            }
            return new InetSocketAddress(host, p);
        }
        catch (final NumberFormatException e)
        {
            throw new IllegalArgumentException("--metrics-address must be HOST:PORT, PORT or off, not '" + spec + "'");
        }
    }

    /** Arms the test-only crash point, refusing it unless the environment enables crash points. */
    static void armCrashPoint(final String spec, final String enabled)
    {
        if (spec == null || spec.isEmpty())
        {
            return;
        }
        if (!"1".equals(enabled))
        {
            throw new IllegalArgumentException("--crash-at is for tests only; it needs " +
                CrashPoint.ENABLE_VARIABLE + "=1 in the environment");
        }
        CrashPoint.arm(CrashPoint.parse(spec), CrashPoint.occurrence(spec));
    }

    private String password() throws IOException
    {
        return clickhousePassword(clickhousePasswordFile);
    }

    /** The ClickHouse password: the file's content when one is given, else TALLY_CLICKHOUSE_PASSWORD, else empty. */
    public static String clickhousePassword(final Path file) throws IOException
    {
        if (file != null)
        {
            return Files.readString(file, StandardCharsets.UTF_8).strip();
        }
        final String env = System.getenv("TALLY_CLICKHOUSE_PASSWORD");
        return env == null ? "" : env;
    }

    /** Defaults from TALLY_* variables, then from the --config properties file. */
    public static final class EnvironmentDefaults implements CommandLine.IDefaultValueProvider
    {
        private final java.util.Map<String, String> env;
        private final Properties file = new Properties();
        private Path path;

        public EnvironmentDefaults(final java.util.Map<String, String> env, final String[] args)
        {
            this.env = env;
            path = configPath(env, args);
            if (path != null)
            {
                try (Reader r = Files.newBufferedReader(path, StandardCharsets.UTF_8))
                {
                    file.load(r);
                }
                catch (final IOException e)
                {
                    throw new IllegalArgumentException("cannot read --config " + path + ": " + e.getMessage());
                }
            }
        }

        /**
         * Refuses a {@code --config} key that is no flag of the given commands (the file may be shared by
         * {@code run} and {@code backfill}): a misspelt key would otherwise leave the default in place unnoticed.
         *
         * @throws IllegalArgumentException naming the first unknown key.
         */
        public void refuseUnknownKeys(final CommandLine.Model.CommandSpec... specs)
        {
            final java.util.Set<String> known = new java.util.HashSet<>();
            for (final CommandLine.Model.CommandSpec spec : specs)
            {
                spec.options().forEach(o -> known.add(o.longestName().replaceFirst("^--", "")));
            }
            for (final String key : new java.util.TreeSet<>(file.stringPropertyNames()))
            {
                if (!known.contains(key))
                {
                    throw new IllegalArgumentException("--config " + path + ": '" + key + "' is not a flag of " +
                        "tally run or tally backfill (keys are flag names without the dashes, e.g. batch-rows=100000)");
                }
            }
        }

        @Override
        public String defaultValue(final CommandLine.Model.ArgSpec argSpec)
        {
            if (!(argSpec instanceof CommandLine.Model.OptionSpec option))
            {
                return null;
            }
            final String key = option.longestName().replaceFirst("^--", "");
            final String fromEnv = env.get("TALLY_" + key.toUpperCase(Locale.ROOT).replace('-', '_'));
            if (fromEnv != null)
            {
                return fromEnv;
            }
            return file.getProperty(key);
        }

        private static Path configPath(final java.util.Map<String, String> env, final String[] args)
        {
            for (int i = 0; i < args.length; i++)
            {
                if (args[i].equals("--config") && i + 1 < args.length)
                {
                    return Path.of(args[i + 1]);
                }
                if (args[i].startsWith("--config="))
                {
                    return Path.of(args[i].substring("--config=".length()));
                }
            }
            final String fromEnv = env.get("TALLY_CONFIG");
            return fromEnv == null ? null : Path.of(fromEnv);
        }
    }
}
