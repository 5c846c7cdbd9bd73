package dev.tally.jmh.pipeline;

import java.lang.management.ManagementFactory;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.YieldingWaitStrategy;
import com.sun.management.ThreadMXBean;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;

import dev.tally.engine.EngineConfig;
import dev.tally.engine.EngineCounters;
import dev.tally.engine.ingest.RecordSlot;
import dev.tally.engine.latency.LatencyCycles;
import dev.tally.engine.latency.LatencyRecorders;
import dev.tally.engine.sink.BatchQueues;
import dev.tally.engine.sink.EncoderAgent;
import dev.tally.engine.sink.RollupRowEncoder;
import dev.tally.engine.sink.RowSlot;
import dev.tally.engine.window.WindowingAgent;

/**
 * The engine's stages between Kafka and ClickHouse, built as {@code Engine} builds them from an
 * {@link EngineConfig} (ring sizes, batch rows and wait, batches in flight, windowing settings; exactly-once mode, no
 * dead-letter topic), each agent on its own {@link AgentRunner} with the engine's idle strategy:
 * <pre>
 *   (caller: records ring producer) --records ring--> windowing --rows ring--> rowbinary-encoder
 *       --batch queues--> {@link AcknowledgingWriter}
 * </pre>
 * The caller stands in for the consumer thread: it publishes into {@link #records()}, including the RESTORE of each
 * partition and the TICKs. The first error of any stage is kept ({@link #failure()}).
 */
final class InMemoryPipeline implements AutoCloseable
{
    /** The stages' threads, in the order of {@link #allocatedBytes}. */
    static final String[] STAGES = { "windowing", "encoder", "writer" };
    /** Latency cycles in flight, as the engine has them. */
    private static final int LATENCY_CYCLES = 32;

    private final EngineCounters counters = new EngineCounters();
    private final AtomicReference<Throwable> failure = new AtomicReference<>();
    private final RingBuffer<RecordSlot> records;
    private final WindowingAgent windowing;
    private final AcknowledgingWriter writer;
    private final List<AgentRunner> runners;

    InMemoryPipeline(final EngineConfig config)
    {
        records = RingBuffer.createSingleProducer(RecordSlot::new, config.recordsRingSize, new YieldingWaitStrategy());
        final RingBuffer<RowSlot> rows =
            RingBuffer.createSingleProducer(RowSlot::new, config.rowsRingSize, new YieldingWaitStrategy());
        final LatencyCycles latency = new LatencyCycles(LATENCY_CYCLES, new LatencyRecorders());
        final BatchQueues queues = new BatchQueues(config.batchesInFlight,
            Math.min(config.batchRows, 1 << 20) * RollupRowEncoder.ROW_LENGTH);
        windowing = new WindowingAgent(records, rows, config.windowing(), counters, latency);
        final EncoderAgent encoder = new EncoderAgent(rows, queues, config.batchRows, config.batchMaxWait.toNanos(),
            System.currentTimeMillis() << 16, new BackoffIdleStrategy(), counters, null);
        writer = new AcknowledgingWriter(queues, counters, latency);
        runners = List.of(
            new AgentRunner(new BackoffIdleStrategy(), this::onError, null, windowing),
            new AgentRunner(new BackoffIdleStrategy(), this::onError, null, encoder),
            new AgentRunner(new SleepingMillisIdleStrategy(1), this::onError, null, writer));
    }

    void start()
    {
        runners.forEach(AgentRunner::startOnThread);
    }

    /** The records ring; the caller is its single producer. */
    RingBuffer<RecordSlot> records()
    {
        return records;
    }

    EngineCounters counters()
    {
        return counters;
    }

    /** Records whose rows are all acknowledged (any thread). */
    long recordsAcknowledged()
    {
        return writer.recordsAcknowledged();
    }

    /** Live rows in window state (approximate from other threads). */
    int liveRows()
    {
        return windowing.liveRows();
    }

    /**
     * Bytes each stage's thread has allocated so far, in pipeline order (windowing, encoder, writer), into
     * {@code into}; -1 for a stage whose thread is not running.
     */
    void allocatedBytes(final long[] into)
    {
        final ThreadMXBean threads = (ThreadMXBean)ManagementFactory.getThreadMXBean();
        for (int i = 0; i < runners.size(); i++)
        {
            final Thread thread = runners.get(i).thread();
            into[i] = thread == null ? -1 : threads.getThreadAllocatedBytes(thread.threadId());
        }
    }

    /** The first error any stage raised, or null. */
    Throwable failure()
    {
        return failure.get();
    }

    private void onError(final Throwable t)
    {
        failure.compareAndSet(null, t);
    }

    /** Stops the stages in pipeline order. */
    @Override
    public void close()
    {
        CloseHelper.closeAll(runners);
    }
}
