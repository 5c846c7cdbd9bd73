package dev.tally.jmh.window;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.Arrays;
import java.util.concurrent.TimeUnit;

import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.IterationParams;

import dev.tally.codec.Country;
import dev.tally.engine.EngineConfig;
import dev.tally.engine.window.RowSink;
import dev.tally.engine.window.WindowKind;
import dev.tally.engine.window.WindowStore;
import dev.tally.engine.window.Windowing;
import dev.tally.engine.window.WindowingConfig;

/**
 * Bytes of window state per live row, with {@code rows} live rows: one iteration fills a fresh {@link Windowing}
 * (both kinds, default delay, lateness and skew) with {@code rows / 2} distinct (account, country) keys, one record
 * each, all in one minute of event time over 8 partitions, so every record opens a minute row and an hour row and
 * nothing closes; a tick every {@code tickEvery} records emits the changed rows, as the engine's emission does.
 * The score is the fill time; the result is in the auxiliary counters, two ways:
 * <ul>
 * <li>{@code arrayBytesPerRow}: {@link WindowStore#arrayBytes()} (the store's hash table and its pages of rows
 *     and chain links, at their capacity) over live rows;</li>
 * <li>{@code heapBytesPerRow}: heap used after a full GC with the filled state reachable, minus heap used after a
 *     full GC before it was built, over live rows: everything the windowing state holds (store, dirty list, open
 *     windows, array headers), as G1 accounts it (large arrays take whole regions).</li>
 * </ul>
 * {@code sizing=engine} starts the store at the engine's initial size ({@link EngineConfig#expectedWindowRows},
 * which has no flag) and lets it grow as the engine's does; {@code exact} sizes it for {@code rows} up front.
 * Each iteration also prints one line with the store's capacity, table size and the split between table and pages.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.SingleShotTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
@Warmup(iterations = 0)
@Measurement(iterations = 1)
@Fork(value = 1, jvmArgsAppend = { "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
    "-Dagrona.disable.bounds.checks=true", "-Xms4g", "-Xmx4g" })
public class WindowStateFootprintBenchmark
{
    private static final long MINUTE_MS = 60_000L;
    private static final long HOUR_START_MS = 1_767_225_600_000L;
    private static final int[] COUNTRIES = { Country.of("US"), Country.of("DE"), Country.of("JP"), Country.of("BR") };

    /** Live rows to build (minute and hour rows together). */
    @Param({ "5000000" })
    public int rows;

    /** {@code engine}: the engine's initial store size, grown on demand; {@code exact}: sized for {@code rows}. */
    @Param({ "engine", "exact" })
    public String sizing;

    /** Records between two ticks. */
    @Param({ "50000" })
    public int tickEvery;

    private final long[] nextOffset = new long[EventSample.PARTITIONS];
    private final DiscardingRows emitted = new DiscardingRows();
    private final CountingSideOutput side = new CountingSideOutput();
    private Windowing windowing;
    private long heapBefore;

    @Setup(Level.Iteration)
    public void empty()
    {
        if ((rows & 1) != 0)
        {
            throw new IllegalArgumentException("rows must be even: each key makes a minute and an hour row");
        }
        windowing = null;
        Arrays.fill(nextOffset, 0);
        heapBefore = usedHeapAfterFullGc();
        final int expectedRows = "exact".equals(sizing) ? rows : new EngineConfig().expectedWindowRows;
        windowing = new Windowing(new WindowingConfig(WindowingConfig.DEFAULT_WATERMARK_DELAY_MS,
            WindowingConfig.DEFAULT_ALLOWED_LATENESS_MS, WindowingConfig.DEFAULT_MAX_FUTURE_SKEW_MS,
            WindowKind.mask("both"), 0, expectedRows), emitted, side);
    }

    @Benchmark
    public int fill()
    {
        final Windowing windowing = this.windowing;
        final int keys = rows / 2;
        for (int i = 0; i < keys; i++)
        {
            final long account = 1 + i;
            final int partition = EventSample.partitionOf(account);
            final long eventTime = HOUR_START_MS + i * MINUTE_MS / keys;
            windowing.onEvent(partition, nextOffset[partition]++, eventTime, account, COUNTRIES[i & 3], eventTime, 1);
            if ((i + 1) % tickEvery == 0)
            {
                windowing.onTick();
            }
        }
        windowing.onTick();
        return windowing.rowCount();
    }

    /**
     * Weighs the filled state; the footprint state reports it. JMH sums auxiliary counters over the measured
     * iterations, so each iteration reports its share, {@code 1 / iterations}, and the run's figure is the mean.
     */
    @TearDown(Level.Iteration)
    public void weigh(final Footprint footprint, final IterationParams iteration)
    {
        final long heapAfter = usedHeapAfterFullGc();
        final WindowStore store = windowing.store();
        final int live = windowing.rowCount();
        if (live != rows || side.late() + side.future() + side.malformed() != 0)
        {
            throw new IllegalStateException("expected " + rows + " live rows and no side output, found " + live +
                " rows and " + side.late() + " late");
        }
        final long tableBytes = (long)store.tableSlots() * Integer.BYTES;
        final long pageBytes = store.arrayBytes() - tableBytes;
        final double arrayBytesPerRow = store.arrayBytes() / (double)live;
        final double heapBytesPerRow = (heapAfter - heapBefore) / (double)live;
        final double share = 1.0 / iteration.getCount();
        footprint.liveRows = live * share;
        footprint.arrayBytesPerRow = arrayBytesPerRow * share;
        footprint.heapBytesPerRow = heapBytesPerRow * share;
        System.out.printf("%n[footprint] sizing=%s liveRows=%d capacity=%d tableSlots=%d arrays=%.1f B/row " +
            "(table %.1f, pages %.1f = %d B per entry x %d entries) heap=%.1f B/row (%d B)%n", sizing, live,
            store.capacity(), store.tableSlots(), arrayBytesPerRow, tableBytes / (double)live,
            pageBytes / (double)live, pageBytes / store.capacity(), store.capacity(), heapBytesPerRow,
            heapAfter - heapBefore);
        windowing = null;
    }

    private static long usedHeapAfterFullGc()
    {
        final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        long used = Long.MAX_VALUE;
        for (int i = 0; i < 3; i++)
        {
            memory.gc();
            used = Math.min(used, memory.getHeapMemoryUsage().getUsed());
        }
        return used;
    }

    /** The iteration's result: live rows, and bytes per live row from the store's arrays and from the heap. */
    @State(Scope.Thread)
    @AuxCounters(AuxCounters.Type.EVENTS)
    public static class Footprint
    {
        public double liveRows;
        public double arrayBytesPerRow;
        public double heapBytesPerRow;
    }

    /** Emission goes nowhere: only the state left behind is weighed. */
    private static final class DiscardingRows implements RowSink
    {
        @Override
        public void onRow(final int kind, final long windowStartMs, final long accountId, final int country,
            final int partition, final long count, final long sumLo, final long sumHi, final long version)
        {
        }
    }
}
