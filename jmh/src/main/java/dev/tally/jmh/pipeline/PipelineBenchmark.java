package dev.tally.jmh.pipeline;

import java.lang.management.ManagementFactory;
import java.util.concurrent.TimeUnit;

import com.lmax.disruptor.RingBuffer;
import com.sun.management.ThreadMXBean;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.SleepingMillisIdleStrategy;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import dev.tally.engine.EngineConfig;
import dev.tally.engine.EngineCounters;
import dev.tally.engine.ingest.RecordSlot;
import dev.tally.engine.window.Windowing;
import dev.tally.jmh.window.EventSample;

/**
 * Records per second through the engine's in-memory pipeline ({@link InMemoryPipeline}: records ring, windowing,
 * rows ring, RowBinary encoder, batch queues, a writer that acknowledges without I/O), each stage on its own thread.
 * The benchmark thread is the consumer: it publishes the {@link EventSample} (the same 2^20 generated records as
 * {@code WindowingBenchmark}, hot or cold keys) into the records ring as {@link RecordFeed} does, a TICK after every
 * {@code tickEvery} records (one emit interval of the sample's event time, so the work per record does not depend
 * on the machine's speed; the engine ticks every wall-clock second), and sleeps 1 ms while the ring is full, as the
 * consumer's idle strategy does. One operation is one record published; with the ring bounded, that is the
 * pipeline's rate once warm. The auxiliary counters say what reached the writer per second: {@code records}
 * acknowledged (all their rows in acknowledged batches, from the checkpoints), {@code rows} and {@code batches}.
 * <p>
 * The window store is sized as in {@code WindowingBenchmark} (five windows of the sample's distinct keys) and set-up
 * pushes two laps through and waits for their acknowledgement, so nothing grows during measurement.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = { "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
    "-Dagrona.disable.bounds.checks=true", "-Xms4g", "-Xmx4g" })
public class PipelineBenchmark
{
    static final int BATCH = 4096;
    private static final ThreadMXBean THREADS = (ThreadMXBean)ManagementFactory.getThreadMXBean();
    private static final int SETUP_LAPS = 2;
    private static final long SETUP_TIMEOUT_NS = TimeUnit.MINUTES.toNanos(5);

    /** {@code hot}: the generator's Zipf accounts; {@code cold}: uniform accounts, about one key per event. */
    @Param({ "hot", "cold" })
    public String keys;

    /** Records between two TICKs. */
    @Param({ "50000" })
    public int tickEvery;

    /** Records in the sample (one lap). */
    @Param({ "1048576" })
    public int events;

    /** Size of the account space both key regimes draw from. */
    @Param({ "10000000" })
    public long accounts;

    private final IdleStrategy whenFull = new SleepingMillisIdleStrategy(1);
    private final long[] allocatedAtStart = new long[InMemoryPipeline.STAGES.length];
    private final long[] allocatedNow = new long[InMemoryPipeline.STAGES.length];
    private InMemoryPipeline pipeline;
    private RingBuffer<RecordSlot> ring;
    private EngineCounters counters;
    private RecordFeed feed;
    private int sinceTick;
    private long feederAllocatedAtStart;
    private long publishedAtStart;

    @Setup(Level.Trial)
    public void setup() throws InterruptedException
    {
        final EventSample sample = EventSample.generate("cold".equals(keys), events, accounts);
        feed = RecordFeed.of(sample);
        final EngineConfig config = new EngineConfig();
        config.deadLetterTopic = "";
        config.expectedWindowRows = Math.max(1 << 16, 5 * sample.distinctKeys());
        pipeline = new InMemoryPipeline(config);
        ring = pipeline.records();
        counters = pipeline.counters();
        pipeline.start();
        for (int p = 0; p < EventSample.PARTITIONS; p++)
        {
            publishRestore(p);
        }
        for (long i = 0, n = (long)SETUP_LAPS * events; i < n; i++)
        {
            publishRecord();
        }
        publishControl(RecordSlot.TICK);
        sinceTick = 0;
        final long deadline = System.nanoTime() + SETUP_TIMEOUT_NS;
        while (pipeline.recordsAcknowledged() < feed.published())
        {
            failIfStageFailed();
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("set-up laps not acknowledged: " + pipeline.recordsAcknowledged() +
                    " of " + feed.published());
            }
            Thread.sleep(10);
        }
    }

    /** Starts the iteration's counts from where the writer and each thread's allocation are now. */
    @Setup(Level.Iteration)
    public void mark(final Acknowledged acknowledged)
    {
        acknowledged.from(pipeline);
        pipeline.allocatedBytes(allocatedAtStart);
        feederAllocatedAtStart = THREADS.getCurrentThreadAllocatedBytes();
        publishedAtStart = feed.published();
    }

    /**
     * Fails the run if a stage failed. With {@code -Dtally.jmh.report=true}, prints the bytes each thread allocated
     * during the iteration per record: the GC profiler's B/op split by stage (the printing itself then shows up in
     * the profiler's figure).
     */
    @TearDown(Level.Iteration)
    public void endIteration()
    {
        failIfStageFailed();
        if (Boolean.getBoolean("tally.jmh.report"))
        {
            final long feederBytes = THREADS.getCurrentThreadAllocatedBytes() - feederAllocatedAtStart;
            pipeline.allocatedBytes(allocatedNow);
            final double records = feed.published() - publishedAtStart;
            final StringBuilder line = new StringBuilder().append('[').append(keys).append("] B/record by thread:")
                .append(" feeder ").append(String.format("%.4f", feederBytes / records));
            for (int i = 0; i < InMemoryPipeline.STAGES.length; i++)
            {
                line.append(' ').append(InMemoryPipeline.STAGES[i]).append(' ')
                    .append(String.format("%.4f", (allocatedNow[i] - allocatedAtStart[i]) / records));
            }
            System.out.println(line);
        }
    }

    /**
     * Stops the stages. With {@code -Dtally.jmh.report=true} in the fork, first prints what the run did per record
     * (off by default: a trial tear-down runs inside the last measured iteration).
     */
    @TearDown(Level.Trial)
    public void tearDown()
    {
        if (Boolean.getBoolean("tally.jmh.report"))
        {
            final double perRecord = 1.0 / feed.published();
            System.out.printf("%n[%s] records=%d acknowledged=%d rowsEmitted/record=%.3f rowsAcknowledged/record=%.3f" +
                " batches=%d late/record=%.4f rowsInState=%d%n", keys, feed.published(),
                pipeline.recordsAcknowledged(), counters.rowsEmitted.get() * perRecord,
                counters.rowsInserted.get() * perRecord, counters.batchesInserted.get(), counters.late.get() * perRecord,
                pipeline.liveRows());
        }
        pipeline.close();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public long feed()
    {
        for (int i = 0; i < BATCH; i++)
        {
            publishRecord();
        }
        EngineCounters.add(counters.recordsIn, BATCH);
        return feed.published();
    }

    private void failIfStageFailed()
    {
        final Throwable failure = pipeline.failure();
        if (failure != null)
        {
            throw new IllegalStateException("a pipeline stage failed", failure);
        }
    }

    private void publishRecord()
    {
        RecordFeed.awaitCapacity(ring, 1, whenFull);
        feed.publishOne(ring);
        if (++sinceTick == tickEvery)
        {
            sinceTick = 0;
            publishControl(RecordSlot.TICK);
        }
    }

    private void publishControl(final int type)
    {
        RecordFeed.awaitCapacity(ring, 1, whenFull);
        final long sequence = ring.next();
        ring.get(sequence).control(type);
        ring.publish(sequence);
    }

    /** What the consumer publishes for a partition it was assigned without a committed checkpoint. */
    private void publishRestore(final int partition)
    {
        final long sequence = ring.next();
        ring.get(sequence).restore(partition, Windowing.NO_WATERMARK, -1, Windowing.NO_WATERMARK);
        ring.publish(sequence);
    }

    /**
     * What reached the writer during the iteration, per second: records acknowledged, rows, batches. Marked by the
     * benchmark's own iteration set-up: a set-up here taking the benchmark as a parameter would get a second
     * benchmark instance, with a pipeline of its own.
     */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    public static class Acknowledged
    {
        private InMemoryPipeline pipeline;
        private long records;
        private long rows;
        private long batches;

        void from(final InMemoryPipeline pipeline)
        {
            this.pipeline = pipeline;
            records = pipeline.recordsAcknowledged();
            rows = pipeline.counters().rowsInserted.get();
            batches = pipeline.counters().batchesInserted.get();
        }

        public long records()
        {
            return pipeline.recordsAcknowledged() - records;
        }

        public long rows()
        {
            return pipeline.counters().rowsInserted.get() - rows;
        }

        public long batches()
        {
            return pipeline.counters().batchesInserted.get() - batches;
        }
    }
}
