package dev.tally.peers;

import java.io.IOException;
import java.io.PrintWriter;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.streams.KafkaStreams;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.errors.StreamsUncaughtExceptionHandler;

import dev.tally.codec.Topics;
import dev.tally.peers.streams.GroupProgress;
import dev.tally.peers.streams.RollupCounters;
import dev.tally.peers.streams.RollupTopology;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.ParameterException;

/**
 * The peer: tally's minute and hour rollup in Kafka Streams with {@code processing.guarantee=exactly_once_v2}
 * ({@link RollupTopology}: decode, key by (account, country), tumbling windows with grace = tally's allowed
 * lateness, count and sum, updates to {@code <topic>.streams-rollups}), run over a topic's backlog until its
 * committed offsets cover the end offsets seen at start ({@link GroupProgress}), then stopped.
 * <p>
 * Set up like the engine where the two have the same knob: read_committed, {@code max.poll.records} 4096,
 * {@code max.partition.fetch.bytes} 4 MiB; one stream thread per core by default; the commit interval (how often
 * Streams flushes its record cache to the output and commits the transaction) is 1 s by default, the same as
 * tally's emit interval (Streams' own default under exactly-once is 100 ms, which costs it more transactions).
 * State lives in a fresh temporary directory, removed at the end; its changelog and repartition topics stay in
 * Kafka under the application id.
 * <p>
 * Prints what it read, dropped and wrote, the drain's wall time and records/s (from {@code start()} to done, which
 * includes joining the group, and from the first record to done), the whole process's wall time, the output rows'
 * latency (see {@link RollupCounters}; on a pre-loaded backlog it mostly measures how long records waited in the
 * backlog), and one machine-readable line: {@code result records=... seconds=... records_per_s=...
 * process_seconds=... ...}. Exit codes: 0 done, 1 Kafka unreachable, no such topic, Streams failed or timed out,
 * 2 bad command line.
 */
@Command(name = "streams-rollup", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Drain a topic's backlog through tally's minute and hour rollup written in Kafka Streams (exactly_once_v2).")
public final class StreamsRollup implements Callable<Integer>
{
    private static final String NAME = "streams-rollup";

    @Option(names = "--bootstrap", description = "Kafka bootstrap servers (default: ${DEFAULT-VALUE}).")
    String bootstrap = "127.0.0.1:19092";

    @Option(names = "--topic", description = "Input topic (default: ${DEFAULT-VALUE}).")
    String topic = "events";

    @Option(names = "--output-topic", description = "Where the rows go, created if missing (default: <topic>.streams-rollups).")
    String outputTopic;

    @Option(names = "--application-id", description = "Streams application id: its group and internal topics' prefix; " +
        "a fresh one reads from the beginning (default: tally-streams-<topic>).")
    String applicationId;

    @Option(names = "--grace", converter = Durations.class, description = "Window grace, as tally's --allowed-lateness (default: 30s).")
    Duration grace = Duration.ofSeconds(30);

    @Option(names = "--commit-interval", converter = Durations.class,
        description = "commit.interval.ms: cache flush and transaction commit period (default: 1s, tally's emit interval).")
    Duration commitInterval = Duration.ofSeconds(1);

    @Option(names = "--threads", description = "num.stream.threads (default: the number of cores, ${DEFAULT-VALUE}).")
    int threads = Runtime.getRuntime().availableProcessors();

    @Option(names = "--cache-bytes", description = "statestore.cache.max.bytes (default: ${DEFAULT-VALUE}, Streams' default).")
    long cacheBytes = 10L << 20;

    @Option(names = "--state-dir", description = "state.dir (default: a fresh temporary directory, removed at the end).")
    Path stateDir;

    @Option(names = "--connect-timeout", converter = Durations.class, description = "How long to wait for Kafka (default: 10s).")
    Duration connectTimeout = Duration.ofSeconds(10);

    @Option(names = "--timeout", converter = Durations.class, description = "Give up if the backlog is not done after this long (default: 1h).")
    Duration timeout = Duration.ofHours(1);

    public static void main(final String[] args)
    {
        System.exit(run(args));
    }

    /**
     * Run the command and return its exit code, without exiting.
     *
     * @param args command-line arguments.
     * @return 0, 1 or 2.
     */
    public static int run(final String... args)
    {
        final CommandLine commandLine = new CommandLine(new StreamsRollup());
        commandLine.setParameterExceptionHandler(StreamsRollup::badParameter);
        return commandLine.execute(args);
    }

    @Override
    public Integer call() throws IOException, InterruptedException
    {
        final ProcessClock process = new ProcessClock();
        final String output = outputTopic == null ? topic + ".streams-rollups" : outputTopic;
        final String appId = applicationId == null ? "tally-streams-" + topic : applicationId;
        final boolean ownStateDir = stateDir == null;
        final Path state = ownStateDir ? Files.createTempDirectory("tally-streams-state-") : stateDir;
        try (Admin admin = Admin.create(Map.of(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap)))
        {
            final Backlog backlog;
            try
            {
                backlog = backlog();
                final int brokers = admin.describeCluster().nodes().get(connectTimeout.toMillis(), TimeUnit.MILLISECONDS).size();
                Topics.ensure(admin, output, backlog.partitions().size(), (short)Math.min(3, brokers), Map.of(),
                    connectTimeout.multipliedBy(3));
            }
            catch (final IllegalStateException | ExecutionException | TimeoutException e)
            {
                System.err.println(NAME + ": " + e.getMessage());
                return 1;
            }
            System.err.printf(Locale.ROOT, "%s: %s: %d partitions, %,d offsets to read; application %s, %d threads, " +
                    "grace %ds, commit interval %dms, rows to %s%n", NAME, topic, backlog.partitions().size(),
                backlog.offsetSpan(), appId, threads, grace.toSeconds(), commitInterval.toMillis(), output);
            return drain(admin, backlog, appId, output, state, process);
        }
        finally
        {
            if (ownStateDir)
            {
                deleteTree(state);
            }
        }
    }

    private int drain(final Admin admin, final Backlog backlog, final String appId, final String output,
        final Path state, final ProcessClock process) throws InterruptedException
    {
        final Properties config = config(appId, state);
        final RollupCounters counters = new RollupCounters();
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        final GroupProgress progress = new GroupProgress(admin, appId, connectTimeout.toMillis());
        try (KafkaStreams streams = new KafkaStreams(RollupTopology.build(topic, output, grace, counters, config), config))
        {
            streams.setUncaughtExceptionHandler(e ->
            {
                failure.compareAndSet(null, e);
                return StreamsUncaughtExceptionHandler.StreamThreadExceptionResponse.SHUTDOWN_CLIENT;
            });
            final long start = System.nanoTime();
            streams.start();
            final long deadline = start + timeout.toNanos();
            Map<TopicPartition, Long> waitFor = backlog.end();
            boolean inputDone = false;
            long lastReport = start;
            while (true)
            {
                Thread.sleep(200);
                if (failure.get() != null || streams.state() == KafkaStreams.State.ERROR ||
                    streams.state() == KafkaStreams.State.NOT_RUNNING)
                {
                    System.err.println(NAME + ": Kafka Streams stopped: " + (failure.get() == null ? streams.state() : failure.get()));
                    return 1;
                }
                if (System.nanoTime() > deadline)
                {
                    System.err.printf(Locale.ROOT, "%s: not done after %ds (%,d records read); giving up%n", NAME,
                        timeout.toSeconds(), counters.records());
                    return 1;
                }
                try
                {
                    if (progress.covers(waitFor))
                    {
                        if (inputDone)
                        {
                            break;
                        }
                        // The input is committed, so every record is in the repartition topic: its ends are final now.
                        inputDone = true;
                        waitFor = progress.repartitionEnds();
                        if (progress.covers(waitFor))
                        {
                            break;
                        }
                    }
                }
                catch (final ExecutionException | TimeoutException e)
                {
                    System.err.println(NAME + ": checking progress failed, retrying: " + e.getMessage());
                }
                if (System.nanoTime() - lastReport >= 10_000_000_000L)
                {
                    lastReport = System.nanoTime();
                    System.err.printf(Locale.ROOT, "%s: t=%.0fs %,d records read, %,d rows written%n", NAME,
                        (lastReport - start) / 1e9, counters.records(), counters.rows());
                }
            }
            final long end = System.nanoTime();
            final long dropped = droppedRecords(streams);
            streams.close(Duration.ofSeconds(60));
            streams.cleanUp();
            report(counters, dropped, (end - start) / 1e9, counters.firstRecordNanos() == 0 ? Double.NaN :
                (end - counters.firstRecordNanos()) / 1e9, process.seconds());
            return 0;
        }
    }

    private void report(final RollupCounters c, final long dropped, final double seconds, final double fromFirst,
        final double processSeconds)
    {
        final long records = c.records();
        System.out.printf(Locale.ROOT, "%s: %,d records (%,d malformed, %,d dropped as late for a window) in %.2fs " +
                "(%,.0f records/s; %,.0f/s from the first record, %.2fs); %,d rows written; whole process %.2fs%n",
            NAME, records, c.malformed(), dropped, seconds, records / seconds, records / fromFirst, fromFirst, c.rows(),
            processSeconds);
        System.out.printf(Locale.ROOT, "%s: row latency (row leaves the store minus the Kafka timestamp of its newest " +
                "record) p50 %d ms, p99 %d ms, max %d ms%n", NAME, c.latencyMs(0.5), c.latencyMs(0.99), c.latencyMs(1.0));
        System.out.printf(Locale.ROOT, "result records=%d seconds=%.3f records_per_s=%.0f first_record_seconds=%.3f " +
                "process_seconds=%.3f malformed=%d late_dropped=%d rows=%d latency_p50_ms=%d latency_p99_ms=%d latency_max_ms=%d%n",
            records, seconds, records / seconds, fromFirst, processSeconds, c.malformed(), dropped, c.rows(),
            c.latencyMs(0.5), c.latencyMs(0.99), c.latencyMs(1.0));
    }

    /** Sums Streams' task-level {@code dropped-records-total}: records of windows past their grace, here. */
    private static long droppedRecords(final KafkaStreams streams)
    {
        double sum = 0;
        for (final Map.Entry<MetricName, ? extends Metric> e : streams.metrics().entrySet())
        {
            if (e.getKey().name().equals("dropped-records-total") && e.getValue().metricValue() instanceof Number n)
            {
                sum += n.doubleValue();
            }
        }
        return Math.round(sum);
    }

    private Backlog backlog()
    {
        final Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer()))
        {
            return Backlog.of(consumer, topic, connectTimeout);
        }
    }

    private Properties config(final String appId, final Path state)
    {
        final Properties p = new Properties();
        p.put(StreamsConfig.APPLICATION_ID_CONFIG, appId);
        p.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        p.put(StreamsConfig.NUM_STREAM_THREADS_CONFIG, Integer.toString(threads));
        p.put(StreamsConfig.COMMIT_INTERVAL_MS_CONFIG, Long.toString(commitInterval.toMillis()));
        p.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, Long.toString(cacheBytes));
        p.put(StreamsConfig.STATE_DIR_CONFIG, state.toString());
        p.put(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG, StreamsConfig.OPTIMIZE);
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG), "earliest");
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_POLL_RECORDS_CONFIG), "4096");
        p.put(StreamsConfig.consumerPrefix(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG), Integer.toString(4 << 20));
        return p;
    }

    private static void deleteTree(final Path root)
    {
        if (!Files.exists(root))
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(root))
        {
            paths.sorted(Comparator.reverseOrder()).forEach(path ->
            {
                try
                {
                    Files.deleteIfExists(path);
                }
                catch (final IOException e)
                {
                    throw new UncheckedIOException(e);
                }
            });
        }
        catch (final IOException | UncheckedIOException e)
        {
            System.err.println(NAME + ": could not remove the state directory " + root + ": " + e.getMessage());
        }
    }

    private static int badParameter(final ParameterException e, final String[] args)
    {
        final PrintWriter err = e.getCommandLine().getErr();
        err.println(NAME + ": " + e.getMessage() + " (see --help)");
        err.flush();
        return e.getCommandLine().getCommandSpec().exitCodeOnInvalidInput();
    }
}
