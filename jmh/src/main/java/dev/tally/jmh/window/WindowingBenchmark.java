package dev.tally.jmh.window;

import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.UnsafeBuffer;
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

import dev.tally.codec.DecodeResult;
import dev.tally.codec.MutableEvent;
import dev.tally.codec.ValueDecoder;
import dev.tally.engine.window.Windowing;
import dev.tally.engine.window.WindowingConfig;

/**
 * Cost per event of the windowing thread's loop: decode the record value, {@link Windowing#onEvent} (both window
 * kinds, default watermark delay, lateness and future skew), and every {@code tickEvery} events a
 * {@link Windowing#onTick} that emits the changed rows into {@link EncodingRowSink} (RowBinary into a reusable
 * buffer) and drops the windows the watermark has passed. One operation is one event.
 * <p>
 * The events are a pre-encoded {@link EventSample} replayed with time shifted by its span per lap: 2^20 events,
 * 8 partitions, 50k events per second of event time, so ticks every 50,000 events are one emission interval of
 * event time. Minute windows close continuously; the sample starts 30 s before an hour boundary so the hour window
 * turns over during set-up. The store is sized for the peak up front (five windows' worth of the sample's distinct
 * keys) and set-up replays two laps, so the dirty list and window arrays have reached their size before warm-up:
 * the measured loop must allocate nothing ({@code -prof gc}: about 0 B/op).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 5)
@Fork(value = 1, jvmArgsAppend = { "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
    "-Dagrona.disable.bounds.checks=true", "-Xms4g", "-Xmx4g" })
public class WindowingBenchmark
{
    static final int BATCH = 4096;
    private static final long HOUR_MS = 3_600_000L;
    private static final int SETUP_LAPS = 2;
    private static final int ROW_BUFFER_BYTES = 1 << 20;

    /** {@code hot}: the generator's Zipf accounts; {@code cold}: uniform accounts, about one key per event. */
    @Param({ "hot", "cold" })
    public String keys;

    /** Events between two ticks (one emission interval at the sample's event rate). */
    @Param({ "50000" })
    public int tickEvery;

    /** Events in the sample (one lap). */
    @Param({ "1048576" })
    public int events;

    /** Size of the account space both key regimes draw from. */
    @Param({ "10000000" })
    public long accounts;

    private final ValueDecoder decoder = new ValueDecoder();
    private final MutableEvent event = new MutableEvent();
    private final long[] nextOffset = new long[EventSample.PARTITIONS];
    private EventSample sample;
    private UnsafeBuffer values;
    private int[] valueOffsets;
    private int[] valueLengths;
    private byte[] partitions;
    private long[] kafkaTimestamps;
    private EncodingRowSink rows;
    private CountingSideOutput side;
    private Windowing windowing;
    private int expectedRows;
    private int cursor;
    private long shiftMs;
    private int sinceTick;
    private long ticks;
    private long processed;

    @Setup(Level.Trial)
    public void setup()
    {
        sample = EventSample.generate("cold".equals(keys), events, accounts);
        values = sample.values();
        valueOffsets = sample.offsets();
        valueLengths = sample.lengths();
        partitions = sample.partitions();
        kafkaTimestamps = sample.kafkaTimestamps();
        rows = new EncodingRowSink(ROW_BUFFER_BYTES);
        side = new CountingSideOutput();
        expectedRows = Math.max(1 << 16, 5 * sample.distinctKeys());
        windowing = new Windowing(new WindowingConfig(WindowingConfig.DEFAULT_WATERMARK_DELAY_MS,
            WindowingConfig.DEFAULT_ALLOWED_LATENESS_MS, WindowingConfig.DEFAULT_MAX_FUTURE_SKEW_MS, 0b11, 0,
            expectedRows), rows, side);
        for (long i = 0, n = (long)SETUP_LAPS * events; i < n; i++)
        {
            step();
        }
        if (sample.spanMs() * SETUP_LAPS > HOUR_MS)
        {
            throw new IllegalStateException("set-up is meant to cross one hour boundary, not several");
        }
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int decodeWindowAndEmit()
    {
        int accepted = 0;
        for (int i = 0; i < BATCH; i++)
        {
            accepted += step();
        }
        return accepted;
    }

    /**
     * With {@code -Dtally.jmh.report=true} in the fork, prints what the run did per record. Off by default: a trial
     * tear-down runs inside the last measured iteration, so its formatting would show up in that iteration's
     * allocation figure.
     */
    @TearDown(Level.Trial)
    public void report()
    {
        if (!Boolean.getBoolean("tally.jmh.report"))
        {
            return;
        }
        final double perEvent = 1.0 / processed;
        System.out.printf("%n[%s] events=%d distinctKeys=%d storeSizedFor=%d rowsInState=%d ticks=%d" +
            " rowsEmitted/event=%.3f late/event=%.4f future=%d malformed=%d rowBufferAt=%d%n", keys, processed,
            sample.distinctKeys(), expectedRows, windowing.rowCount(), ticks, rows.rows() * perEvent,
            side.late() * perEvent, side.future(), side.malformed(), rows.position());
    }

    private int step()
    {
        final int i = cursor;
        final int partition = partitions[i];
        final long offset = nextOffset[partition]++;
        final int accepted;
        if (decoder.decode(values, valueOffsets[i], valueLengths[i], event) == DecodeResult.OK)
        {
            accepted = windowing.onEvent(partition, offset, kafkaTimestamps[i] + shiftMs, event.accountId(),
                event.country(), event.eventTime() + shiftMs, event.amount());
        }
        else
        {
            windowing.onMalformed(partition, offset);
            accepted = 0;
        }
        if (++sinceTick == tickEvery)
        {
            sinceTick = 0;
            rows.beginBatch(++ticks, kafkaTimestamps[i] + shiftMs);
            windowing.onTick();
        }
        if (++cursor == valueOffsets.length)
        {
            cursor = 0;
            shiftMs += sample.spanMs();
        }
        processed++;
        return accepted;
    }
}
