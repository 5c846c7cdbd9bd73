package dev.tally.engine.backfill;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import com.clickhouse.client.api.Client;
import dev.tally.engine.Engine;
import dev.tally.engine.EngineConfig;
import dev.tally.engine.EngineCounters;
import dev.tally.engine.EngineException;
import dev.tally.engine.ingest.ReadBounds;
import dev.tally.engine.sink.ClickHouseSchema;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * One backfill, from plan to summary: checks the range is final for the live engine ({@link LiveCheck}), claims a
 * generation ({@link Generations}), finds where to read ({@link Plan#readFromTimestampMs()}), runs the engine's own
 * pipeline over the range (exactly-once: its own consumer group and journal, so a killed backfill resumes with
 * {@code --resume}), checks every partition closed the range, deletes the rows it superseded ({@link Superseded}),
 * and records the end. Rows outside the range are never written: the windowing stage folds only windows wholly
 * inside it and emits a row only when its window closes.
 */
final class Backfill
{
    private static final long PROGRESS_INTERVAL_MS = 2_000;

    private final BackfillMain o;
    private final PrintStream err;

    Backfill(final BackfillMain options, final PrintStream err)
    {
        this.o = options;
        this.err = err;
    }

    /** Runs it; throws {@link BackfillRefused} or {@link EngineException} with what to do. */
    void run() throws InterruptedException
    {
        try (Client client = client())
        {
            if (!client.ping(o.connectTimeout.toMillis()))
            {
                throw new EngineException("ClickHouse at " + o.clickhouseUrl + " does not answer; run ./tally stack up " +
                    "or pass --clickhouse-url");
            }
            ClickHouseSchema.create(client, o.database);
            final Generations generations = new Generations(client, o.database);
            generations.create();
            final Plan plan = plan(generations);
            final Kafka kafka = kafka(plan);
            if (!"none".equals(plan.liveGroup()))
            {
                final String refusal = LiveCheck.refusal(plan, kafka.partitions, kafka.liveCommits);
                if (refusal != null)
                {
                    throw new BackfillRefused(refusal);
                }
            }
            final int generation = o.resume > 0 ? o.resume : generations.claim(plan);
            final String group = "tally-backfill." + o.database + "." + generation;
            err.println("tally backfill: generation " + generation + (o.resume > 0 ? " (resumed)" : "") + ": " +
                plan.describe() + " of " + plan.topic() + ", final at watermark " + Instant.ofEpochMilli(plan.closesAtMs()));
            err.println("tally backfill: reading from Kafka timestamp " + Instant.ofEpochMilli(plan.readFromTimestampMs()) +
                " (from - max future skew) in group " + group);
            final long started = System.nanoTime();
            final EngineConfig config = engineConfig(plan, generation, group, kafka);
            final Result result = runEngine(config, plan, kafka);
            final List<Integer> closed = new ArrayList<>();
            final List<String> open = new ArrayList<>();
            for (int p = 0; p < kafka.partitions; p++)
            {
                final long wm = result.watermarks[p];
                if (kafka.start[p] >= kafka.end[p] || wm >= plan.closesAtMs())
                {
                    closed.add(p);
                }
                else
                {
                    open.add(p + " (watermark " + (wm == Long.MIN_VALUE ? "none" : Instant.ofEpochMilli(wm)) + ")");
                }
            }
            final long deleted = o.keepSuperseded ? 0 :
                Superseded.delete(client, o.database, plan, generation, closed);
            final double seconds = (System.nanoTime() - started) / 1e9;
            final String detail = result.recordsRead + " records read, " + (result.rowsInserted - result.late) +
                " rollup rows and " + result.late + " late-event rows in " + result.batches + " batches, " + deleted +
                " superseded rows deleted, " + closed.size() + "/" + kafka.partitions + " partitions closed, " + String.format("%.1f", seconds) + " s";
            generations.finished(generation, plan, detail);
            err.println("tally backfill: generation " + generation + " done: " + detail + " (" +
                String.format("%,.0f", result.recordsRead / Math.max(seconds, 1e-3)) + " records/s)");
            if (!open.isEmpty())
            {
                throw new BackfillRefused("refused in part: the range's windows of partition" +
                    (open.size() > 1 ? "s " : " ") + String.join(", ", open) + " were still open at the log end and " +
                    "were not written (the other partitions were); run the backfill again once the stream has passed " +
                    Instant.ofEpochMilli(plan.closesAtMs() + plan.watermarkDelayMs()));
            }
            deleteJournal(config.journalDir);
        }
    }

    private Plan plan(final Generations generations)
    {
        if (o.resume > 0)
        {
            final Plan.Stored stored = generations.find(o.resume);
            if (stored == null)
            {
                throw new EngineException("generation " + o.resume + " was never claimed in " + o.database +
                    ".backfills; start a new backfill with --from and --to");
            }
            return Plan.of(stored);
        }
        if (o.fromMs == null || o.toMs == null)
        {
            throw new IllegalArgumentException("give --from and --to (or --resume GENERATION)");
        }
        final Plan plan = new Plan(o.fromMs, o.toMs, o.topic, o.liveGroup, o.window, o.watermarkDelay.toMillis(),
            o.allowedLateness.toMillis(), o.maxFutureSkew.toMillis());
        if (plan.totalWindows() == 0)
        {
            throw new IllegalArgumentException("no " + o.window + " window lies wholly inside [" +
                Instant.ofEpochMilli(o.fromMs) + ", " + Instant.ofEpochMilli(o.toMs) + "); widen the range");
        }
        return plan;
    }

    /** What Kafka holds: partitions, where each is read from and up to, and the live group's commits. */
    private record Kafka(int partitions, long[] start, long[] end, Map<TopicPartition, OffsetAndMetadata> liveCommits)
    {
    }

    private Kafka kafka(final Plan plan)
    {
        final Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, o.bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "tally-backfill-planner");
        p.putAll(o.kafkaClient);
        try (KafkaConsumer<byte[], byte[]> consumer = new KafkaConsumer<>(p, new ByteArrayDeserializer(),
            new ByteArrayDeserializer()))
        {
            final List<PartitionInfo> infos;
            try
            {
                infos = consumer.partitionsFor(plan.topic(), o.connectTimeout);
            }
            catch (final org.apache.kafka.common.errors.TimeoutException e)
            {
                throw new EngineException("Kafka at " + o.bootstrap + " did not answer within " +
                    o.connectTimeout.toSeconds() + "s; run ./tally stack up or pass --bootstrap");
            }
            if (infos == null || infos.isEmpty())
            {
                throw new EngineException("topic " + plan.topic() + " does not exist at " + o.bootstrap + "; pass --topic");
            }
            final int n = infos.size();
            if (n > EngineCounters.REPORTED_PARTITIONS)
            {
                throw new EngineException("topic " + plan.topic() + " has " + n + " partitions; a backfill handles up to " +
                    EngineCounters.REPORTED_PARTITIONS);
            }
            final Map<TopicPartition, Long> times = new HashMap<>();
            for (int i = 0; i < n; i++)
            {
                times.put(new TopicPartition(plan.topic(), i), plan.readFromTimestampMs());
            }
            final Map<TopicPartition, Long> ends = consumer.endOffsets(times.keySet(), o.connectTimeout);
            final Map<TopicPartition, OffsetAndTimestamp> found = consumer.offsetsForTimes(times, o.connectTimeout);
            final long[] start = new long[n];
            final long[] end = new long[n];
            for (int i = 0; i < n; i++)
            {
                final TopicPartition tp = new TopicPartition(plan.topic(), i);
                end[i] = ends.get(tp);
                final OffsetAndTimestamp at = found.get(tp);
                start[i] = at == null ? end[i] : Math.min(at.offset(), end[i]);
            }
            return new Kafka(n, start, end, "none".equals(plan.liveGroup()) ? Map.of() : liveCommits(plan.liveGroup()));
        }
    }

    private Map<TopicPartition, OffsetAndMetadata> liveCommits(final String group)
    {
        final Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, o.bootstrap);
        p.putAll(o.kafkaClient);
        try (Admin admin = Admin.create(p))
        {
            final Map<TopicPartition, OffsetAndMetadata> all = admin.listConsumerGroupOffsets(group)
                .partitionsToOffsetAndMetadata().get(o.connectTimeout.toMillis(), TimeUnit.MILLISECONDS);
            final Map<TopicPartition, OffsetAndMetadata> result = new HashMap<>();
            all.forEach((tp, om) ->
            {
                if (om != null)
                {
                    result.put(tp, om);
                }
            });
            return result;
        }
        catch (final ExecutionException | java.util.concurrent.TimeoutException e)
        {
            throw new EngineException("cannot read the live group '" + group + "' commits at " + o.bootstrap + ": " +
                Generations.rootMessage(e));
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new EngineException("interrupted while reading the live group's commits");
        }
    }

    private EngineConfig engineConfig(final Plan plan, final int generation, final String group, final Kafka kafka)
    {
        final EngineConfig c = new EngineConfig();
        c.bootstrap = o.bootstrap;
        c.kafkaClient = o.kafkaClient;
        c.topic = plan.topic();
        c.group = group;
        c.deadLetterTopic = "";
        c.clickhouseUrl = o.clickhouseUrl;
        c.database = o.database;
        c.clickhouseUser = o.clickhouseUser;
        c.clickhousePassword = o.clickhousePassword;
        c.window = plan.window();
        c.watermarkDelay = Duration.ofMillis(plan.watermarkDelayMs());
        c.allowedLateness = Duration.ofMillis(plan.allowedLatenessMs());
        c.maxFutureSkew = Duration.ofMillis(plan.maxFutureSkewMs());
        c.batchRows = o.batchRows;
        c.batchMaxWait = o.batchMaxWait;
        c.connectTimeout = o.connectTimeout;
        c.journalDir = o.journalDir != null ? o.journalDir :
            Path.of(System.getProperty("tally.home", "."), "var", "journal", group);
        c.readBounds = new ReadBounds(kafka.start, kafka.end, plan.closesAtMs(), o.maxRate);
        c.generation = generation;
        c.rangeFromMs = plan.fromMs();
        c.rangeToMs = plan.toMs();
        return c.conclude();
    }

    private record Result(long recordsRead, long rowsInserted, long batches, long late, long[] watermarks)
    {
    }

    private Result runEngine(final EngineConfig config, final Plan plan, final Kafka kafka) throws InterruptedException
    {
        final Engine engine = Engine.start(config);
        final Thread hook = new Thread(engine::close, "tally-backfill-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        final EngineCounters c = engine.counters();
        try
        {
            long nextProgress = System.currentTimeMillis() + PROGRESS_INTERVAL_MS;
            long lastRecords = 0;
            while (engine.failure() == null && !engine.finished())
            {
                Thread.sleep(50);
                final long now = System.currentTimeMillis();
                if (now >= nextProgress)
                {
                    final long records = c.recordsIn.get();
                    err.println("tally backfill: " + String.format("%,d", records) + " records read (" +
                        String.format("%,.0f", (records - lastRecords) * 1000.0 / (now - nextProgress + PROGRESS_INTERVAL_MS)) +
                        "/s), partitions finished " + engine.partitionsFinished() + "/" + kafka.partitions +
                        ", slowest watermark " + slowest(c, kafka.partitions) + " of " +
                        Instant.ofEpochMilli(plan.closesAtMs()) + ", " + String.format("%,d", c.rowsInserted.get()) +
                        " rows inserted");
                    lastRecords = records;
                    nextProgress = now + PROGRESS_INTERVAL_MS;
                }
            }
        }
        finally
        {
            engine.close();
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        if (engine.failure() != null)
        {
            throw new EngineException("the backfill failed: " + engine.failure() + "; run it again with --resume " +
                config.generation + " (it continues from its last checkpoint)");
        }
        final long[] wm = new long[kafka.partitions];
        for (int p = 0; p < wm.length; p++)
        {
            wm[p] = c.watermarkMs.get(p);
        }
        return new Result(c.recordsIn.get(), c.rowsInserted.get(), c.batchesInserted.get(), c.late.get(), wm);
    }

    private static String slowest(final EngineCounters c, final int partitions)
    {
        long min = Long.MAX_VALUE;
        for (int p = 0; p < partitions; p++)
        {
            min = Math.min(min, c.watermarkMs.get(p));
        }
        return min == Long.MIN_VALUE || min == Long.MAX_VALUE ? "none yet" :
            Instant.ofEpochMilli(min).truncatedTo(ChronoUnit.SECONDS).toString();
    }

    private Client client()
    {
        return new Client.Builder()
            .addEndpoint(o.clickhouseUrl)
            .setUsername(o.clickhouseUser)
            .setPassword(o.clickhousePassword)
            .setConnectTimeout(o.connectTimeout.toMillis(), ChronoUnit.MILLIS)
            .setSocketTimeout(300_000, ChronoUnit.MILLIS)
            .build();
    }

    /** A finished backfill's journal holds nothing pending: remove it so var/journal does not fill up. */
    private static void deleteJournal(final Path dir)
    {
        if (!Files.isDirectory(dir))
        {
            return;
        }
        try (Stream<Path> files = Files.walk(dir))
        {
            for (final Path f : files.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(f);
            }
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
    }
}
