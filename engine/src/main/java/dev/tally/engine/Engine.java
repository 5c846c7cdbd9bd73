package dev.tally.engine;

import dev.tally.codec.Topics;
import dev.tally.engine.http.EngineMetrics;
import dev.tally.engine.ingest.ConsumerAgent;
import dev.tally.engine.ingest.RecordSlot;
import dev.tally.engine.latency.LatencyCycles;
import dev.tally.engine.latency.LatencyRecorders;
import dev.tally.engine.report.Reporter;
import dev.tally.engine.report.Series;
import dev.tally.engine.sink.Batch;
import dev.tally.engine.sink.Checkpoint;
import dev.tally.engine.sink.BatchQueues;
import dev.tally.engine.sink.ClickHouseSchema;
import dev.tally.engine.sink.ClickHouseWriter;
import dev.tally.engine.sink.DeadLetters;
import dev.tally.engine.sink.EncoderAgent;
import dev.tally.engine.sink.RollupRowEncoder;
import dev.tally.engine.sink.RowSlot;
import dev.tally.engine.sink.WriterListener;
import dev.tally.engine.window.WindowingAgent;
import dev.tally.journal.Journal;
import dev.tally.journal.JournalConfig;
import dev.tally.journal.SyncPolicy;

import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import com.clickhouse.client.api.Client;
import com.lmax.disruptor.YieldingWaitStrategy;
import com.lmax.disruptor.RingBuffer;
import org.agrona.CloseHelper;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

/**
 * The pipeline, one thread per stage, each an {@link org.agrona.concurrent.Agent} on its own {@link AgentRunner}:
 * <pre>
 *   kafka-consumer --records ring--> windowing --rows ring--> rowbinary-encoder --batch queues--> clickhouse-writer
 * </pre>
 * A fifth thread, the reporter, samples the counters and latency recorders once a second (see {@link Reporter}).
 * Every stage's errors go to one {@link ErrorHandler}; the first one is kept and ends the run.
 */
public final class Engine implements AutoCloseable
{
    /** Latency cycles in flight at most before ticks merge (see {@link LatencyCycles}). */
    private static final int LATENCY_CYCLES = 32;

    private final EngineConfig config;
    private final EngineCounters counters = new EngineCounters();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final Client client;
    private final BatchQueues queues;
    private final ConsumerAgent consumer;
    private final WindowingAgent windowing;
    private final EncoderAgent encoder;
    private final ClickHouseWriter writer;
    private final Journal journal;
    private final List<AgentRunner> runners;
    private final RingBuffer<RecordSlot> records;
    private final RingBuffer<RowSlot> rows;
    private final EngineMetrics metrics = new EngineMetrics();
    private final Series series = new Series();
    private final Reporter reporter;
    /** Checkpoints whose batch ClickHouse acknowledged, from the writer thread to the consumer thread. */
    private final ManyToOneConcurrentArrayQueue<Checkpoint> acknowledged = new ManyToOneConcurrentArrayQueue<>(1024);

    private Engine(final EngineConfig config, final Client client, final KafkaConsumer<byte[], byte[]> kafka,
        final Map<TopicPartition, Long> endOffsets, final Journal journal)
    {
        this.config = config;
        this.client = client;
        this.journal = journal;
        final boolean exactlyOnce = config.eosMode == EosMode.EXACTLY_ONCE;
        final ErrorHandler errors = this::onError;
        // Every stage polls its ring from its own agent loop, so no wait strategy ever blocks; Yielding's publish
        // signal is free, where Blocking's would take a lock on every record.
        this.records = RingBuffer.createSingleProducer(RecordSlot::new, config.recordsRingSize, new YieldingWaitStrategy());
        this.rows = RingBuffer.createSingleProducer(RowSlot::new, config.rowsRingSize, new YieldingWaitStrategy());
        final LatencyRecorders latencyRecorders = new LatencyRecorders();
        final LatencyCycles latency = new LatencyCycles(LATENCY_CYCLES, latencyRecorders);
        final int batchBytes = Math.min(config.batchRows, 1 << 20) * RollupRowEncoder.ROW_LENGTH;
        this.queues = new BatchQueues(config.batchesInFlight, batchBytes);

        this.consumer = new ConsumerAgent(kafka, records, config.topic, config.emitInterval, endOffsets, counters,
            acknowledged, exactlyOnce, journal);
        if (config.readBounds != null)
        {
            consumer.bounded(config.readBounds);
        }
        this.windowing = new WindowingAgent(records, rows, config.windowing(), counters, latency);
        if (!exactlyOnce)
        {
            windowing.emitDeltas();
            consumer.commitInterval(config.commitInterval);
        }
        this.encoder = new EncoderAgent(rows, queues, config.batchRows, config.batchMaxWait.toNanos(),
            System.currentTimeMillis() << 16, new BackoffIdleStrategy(), counters,
            config.deadLetterTopic.isEmpty() ? null :
                new DeadLetters(config.bootstrap, config.kafkaClient, config.deadLetterTopic, counters));
        this.writer = new ClickHouseWriter(client, config.database, queues, new WriterListener()
        {
            @Override
            public void onInserted(final Batch batch, final long latencyNanos)
            {
                if (batch.rows() > 0)
                {
                    EngineCounters.increment(counters.batchesInserted);
                    EngineCounters.add(counters.rowsInserted, batch.rows());
                    metrics.onInsert(batch.rows(), latencyNanos);
                }
                if (batch.hasCheckpoint())
                {
                    final long ackMs = System.currentTimeMillis();
                    latency.visible(batch.checkpoint().latencyCycle(), ackMs - latencyNanos / 1_000_000, ackMs);
                    // Once a tick; a later checkpoint supersedes one that finds the queue full, but never the last.
                    final Checkpoint copy = new Checkpoint();
                    copy.copyFrom(batch.checkpoint());
                    while (!acknowledged.offer(copy) && copy.last())
                    {
                        Thread.onSpinWait();
                    }
                }
            }

            @Override
            public void onRetry(final Batch batch, final Throwable cause)
            {
                EngineCounters.increment(counters.insertRetries);
            }
        }, errors, ClickHouseWriter.Settings.defaults().withAsyncInsert(config.asyncInsert).withDeduplicate(exactlyOnce),
            journal, org.agrona.concurrent.SystemNanoClock.INSTANCE);

        this.reporter = new Reporter(counters, latencyRecorders, series, config.latencyDir,
            () -> queues.poolSize() - queues.free().size(), windowing::liveRows);
        metrics.bind(counters, reporter, () -> occupancy(records), () -> occupancy(rows), writer::batchesRecovered);
        this.runners = List.of(
            new AgentRunner(new SleepingMillisIdleStrategy(1), errors, null, consumer),
            new AgentRunner(new BackoffIdleStrategy(), errors, null, windowing),
            new AgentRunner(new BackoffIdleStrategy(), errors, null, encoder),
            new AgentRunner(new SleepingMillisIdleStrategy(1), errors, null, writer),
            new AgentRunner(new SleepingMillisIdleStrategy(50), errors, null, reporter));
    }

    /**
     * Checks that ClickHouse and Kafka answer and the topic exists, creates the schema, then starts every stage.
     *
     * @throws EngineException with one line saying what to fix when a service or the topic is missing
     */
    public static Engine start(final EngineConfig config)
    {
        config.conclude();
        final Client client = new Client.Builder()
            .addEndpoint(config.clickhouseUrl)
            .setUsername(config.clickhouseUser)
            .setPassword(config.clickhousePassword)
            .setConnectTimeout(config.connectTimeout.toMillis(), ChronoUnit.MILLIS)
            .setSocketTimeout(config.insertTimeout.toMillis(), ChronoUnit.MILLIS)
            .setMaxRetries(0)
            .build();
        KafkaConsumer<byte[], byte[]> kafka = null;
        Journal journal = null;
        try
        {
            if (!client.ping(config.connectTimeout.toMillis()))
            {
                throw new EngineException(ClickHouseProbe.whyNoAnswer(client, config));
            }
            try
            {
                ClickHouseSchema.create(client, config.database, ClickHouseSchema.DEFAULT_DEDUPLICATION_WINDOW,
                    config.eosMode == EosMode.AT_LEAST_ONCE);
            }
            catch (final IllegalStateException e)
            {
                throw new EngineException(e.getMessage());
            }
            if (config.eosMode == EosMode.EXACTLY_ONCE)
            {
                journal = openJournal(config);
                JournalTarget.check(journal, config);
            }
            kafka = new KafkaConsumer<>(consumerProperties(config), new ByteArrayDeserializer(), new ByteArrayDeserializer());
            final Map<TopicPartition, Long> ends = endOffsets(kafka, config);
            if (config.readBounds != null && config.readBounds.partitions() != ends.size())
            {
                throw new EngineException("topic " + config.topic + " has " + ends.size() + " partitions now, the " +
                    "backfill's plan " + config.readBounds.partitions() + "; start a new backfill");
            }
            if (!config.deadLetterTopic.isEmpty())
            {
                createDeadLetterTopic(config, ends.size());
            }
            final Engine engine = new Engine(config, client, kafka, config.stopAtEnd ? ends : null, journal);
            engine.runners.forEach(AgentRunner::startOnThread);
            return engine;
        }
        catch (final RuntimeException e)
        {
            CloseHelper.quietCloseAll(kafka, journal, client);
            throw e;
        }
    }

    private static Journal openJournal(final EngineConfig config)
    {
        try
        {
            return Journal.open(config.journalDir,
                JournalConfig.defaults().withSync(config.journalSync ? SyncPolicy.SYNC : SyncPolicy.NONE));
        }
        catch (final IllegalStateException e)
        {
            throw new EngineException("cannot open the journal " + config.journalDir + ": " + e.getMessage() +
                "; each engine instance needs its own --journal-dir");
        }
        catch (final java.io.UncheckedIOException e)
        {
            throw new EngineException("cannot open the journal " + config.journalDir + ": " +
                e.getCause().getMessage() + "; pass a writable --journal-dir");
        }
    }

    private static Map<TopicPartition, Long> endOffsets(final KafkaConsumer<byte[], byte[]> kafka,
        final EngineConfig config)
    {
        final List<PartitionInfo> partitions;
        try
        {
            partitions = kafka.partitionsFor(config.topic, config.connectTimeout);
        }
        catch (final org.apache.kafka.common.errors.TimeoutException e)
        {
            throw new EngineException("Kafka at " + config.bootstrap + " did not answer within " +
                config.connectTimeout.toSeconds() + "s; run ./tally stack up or pass --bootstrap");
        }
        catch (final org.apache.kafka.common.errors.AuthenticationException e)
        {
            throw new EngineException("Kafka at " + config.bootstrap + " refused the engine's client (" +
                e.getMessage() + "); check the TLS/SASL settings in --kafka-config");
        }
        if (partitions == null || partitions.isEmpty())
        {
            throw new EngineException("topic " + config.topic + " does not exist at " + config.bootstrap +
                "; produce events first (./tally gen) or pass --topic");
        }
        final List<TopicPartition> tps = partitions.stream()
            .map(p -> new TopicPartition(config.topic, p.partition())).toList();
        return new HashMap<>(kafka.endOffsets(tps, config.connectTimeout));
    }

    private static void createDeadLetterTopic(final EngineConfig config, final int partitions)
    {
        final Properties p = new Properties();
        p.put(org.apache.kafka.clients.admin.AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrap);
        p.putAll(config.kafkaClient);
        try (org.apache.kafka.clients.admin.Admin admin = org.apache.kafka.clients.admin.Admin.create(p))
        {
            final int brokers = admin.describeCluster().nodes().get(config.connectTimeout.toMillis(), TimeUnit.MILLISECONDS).size();
            Topics.ensure(admin, config.deadLetterTopic, partitions, (short)Math.min(3, brokers), Map.of(),
                config.connectTimeout.multipliedBy(3));
        }
        catch (final java.util.concurrent.ExecutionException | java.util.concurrent.TimeoutException e)
        {
            throw new EngineException("cannot create the dead-letter topic " + config.deadLetterTopic + " at " +
                config.bootstrap + ": " + e.getMessage() + "; pass --dlq-topic '' to go without it");
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new EngineException("interrupted while creating the dead-letter topic");
        }
    }

    static Properties consumerProperties(final EngineConfig config)
    {
        final Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, config.bootstrap);
        p.put(ConsumerConfig.GROUP_ID_CONFIG, config.group);
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "tally-engine");
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.AUTO_OFFSET_RESET_CONFIG, "earliest");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "4096");
        p.put(ConsumerConfig.MAX_PARTITION_FETCH_BYTES_CONFIG, Integer.toString(4 << 20));
        p.put(ConsumerConfig.PARTITION_ASSIGNMENT_STRATEGY_CONFIG,
            "org.apache.kafka.clients.consumer.CooperativeStickyAssignor");
        p.put(ConsumerConfig.SESSION_TIMEOUT_MS_CONFIG, Long.toString(config.sessionTimeout.toMillis()));
        p.put(ConsumerConfig.HEARTBEAT_INTERVAL_MS_CONFIG, Long.toString(Math.max(100, config.sessionTimeout.toMillis() / 4)));
        p.putAll(config.kafkaClient);
        return p;
    }

    private void onError(final Throwable t)
    {
        failure.compareAndSet(null, t);
    }

    /** The first error any stage raised, or null. */
    public Throwable failure()
    {
        return failure.get();
    }

    public EngineCounters counters()
    {
        return counters;
    }

    public EngineMetrics metrics()
    {
        return metrics;
    }

    /** The dashboard's one-second samples. */
    public Series series()
    {
        return series;
    }

    /** Latency percentiles, the live status line and where the latency files are. */
    public Reporter reporter()
    {
        return reporter;
    }

    private static double occupancy(final RingBuffer<?> ring)
    {
        return (ring.getBufferSize() - ring.remainingCapacity()) / (double)ring.getBufferSize();
    }

    /** Stop-at-end: every batch is acknowledged and the checkpoint taken at the end is committed. */
    public boolean finished()
    {
        return encoder.ended() && queues.drained() && writer.recovered() && consumer.lastCheckpointCommitted();
    }

    /** Batches a previous run journaled but never saw acknowledged, re-sent and acknowledged by this one. */
    public long batchesRecovered()
    {
        return writer.batchesRecovered();
    }

    /** Waits until {@link #finished()} or a failure; returns false on timeout. */
    public boolean awaitFinished(final Duration timeout) throws InterruptedException
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (!finished() && failure() == null)
        {
            if (System.nanoTime() > deadline)
            {
                return false;
            }
            TimeUnit.MILLISECONDS.sleep(20);
        }
        return failure() == null;
    }

    /** Partitions a backfill has finished reading (see {@link dev.tally.engine.ingest.ReadBounds}). */
    public int partitionsFinished()
    {
        return consumer.partitionsFinished();
    }

    /** Live rows in window state (approximate, for reporting). */
    public int liveRows()
    {
        return windowing.liveRows();
    }

    public EngineConfig config()
    {
        return config;
    }

    /** Stops the stages (consumer first, writer last) and closes the clients. */
    @Override
    public void close()
    {
        CloseHelper.closeAll(runners);
        CloseHelper.quietCloseAll(journal, client);
    }
}
