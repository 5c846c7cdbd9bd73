package dev.tally.jmh.pipeline;

import java.util.concurrent.TimeUnit;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.YieldingWaitStrategy;
import org.agrona.CloseHelper;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.BusySpinIdleStrategy;
import org.agrona.concurrent.IdleStrategy;
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

import dev.tally.engine.ingest.RecordSlot;
import dev.tally.jmh.window.EventSample;

/**
 * The hand-off of one record through the engine's records ring: the ring {@code Engine} builds (single producer,
 * {@link RecordSlot}, yielding wait strategy, the engine's default size), the consumer thread's publish path
 * ({@link RecordFeed}: copy a 200-400 byte generated value into the slot, publish) on the benchmark thread, and
 * the windowing thread's poll path ({@link RecordsDrain}) on an {@link AgentRunner} of its own started at set-up.
 * The benchmark thread waits (spinning) while the ring is full, so once warm the score is the slower side's cost
 * per record: ns/op is nanoseconds per record handed over, 1e9 / score records per second.
 * <p>
 * {@code publishOne} is the engine's path (one claim and one publish per record); {@code publishBatch} claims and
 * publishes {@link #PER_INVOCATION} slots at once, which the engine does not do, to show what batching would save.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = { "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
    "-Dagrona.disable.bounds.checks=true", "-Xms1g", "-Xmx1g" })
public class RecordsRingBenchmark
{
    static final int PER_INVOCATION = 64;
    private static final long DRAIN_TIMEOUT_NS = TimeUnit.SECONDS.toNanos(10);

    /** Slots in the ring (the engine's {@code --ring-size} default). */
    @Param({ "65536" })
    public int ringSize;

    /** Distinct values cycled through (about 20 MB of them: more than the caches hold). */
    @Param({ "65536" })
    public int events;

    private final IdleStrategy whenFull = new BusySpinIdleStrategy();
    private RingBuffer<RecordSlot> ring;
    private RecordFeed feed;
    private RecordsDrain drain;
    private AgentRunner runner;

    @Setup(Level.Trial)
    public void setup()
    {
        feed = RecordFeed.of(EventSample.generate(false, events, 10_000_000L));
        ring = RingBuffer.createSingleProducer(RecordSlot::new, ringSize, new YieldingWaitStrategy());
        drain = new RecordsDrain(ring);
        runner = new AgentRunner(new BackoffIdleStrategy(), Throwable::printStackTrace, null, drain);
        AgentRunner.startOnThread(runner);
    }

    /** Every record published arrived exactly once; then the consumer thread stops. */
    @TearDown(Level.Trial)
    public void tearDown() throws InterruptedException
    {
        final long deadline = System.nanoTime() + DRAIN_TIMEOUT_NS;
        while (drain.consumed() < feed.published() && System.nanoTime() < deadline)
        {
            Thread.sleep(1);
        }
        CloseHelper.close(runner);
        if (drain.consumed() != feed.published() || drain.offsetSum() != feed.offsetSum())
        {
            throw new IllegalStateException("records ring lost or repeated records: published " + feed.published() +
                ", consumed " + drain.consumed());
        }
    }

    @Benchmark
    @OperationsPerInvocation(PER_INVOCATION)
    public long publishOne()
    {
        final RingBuffer<RecordSlot> ring = this.ring;
        for (int i = 0; i < PER_INVOCATION; i++)
        {
            RecordFeed.awaitCapacity(ring, 1, whenFull);
            feed.publishOne(ring);
        }
        return feed.published();
    }

    @Benchmark
    @OperationsPerInvocation(PER_INVOCATION)
    public long publishBatch()
    {
        RecordFeed.awaitCapacity(ring, PER_INVOCATION, whenFull);
        feed.publishBatch(ring, PER_INVOCATION);
        return feed.published();
    }
}
