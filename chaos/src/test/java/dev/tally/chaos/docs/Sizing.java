package dev.tally.chaos.docs;

import java.lang.management.ManagementFactory;
import java.lang.reflect.Field;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Supplier;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.YieldingWaitStrategy;
import dev.tally.engine.EngineConfig;
import dev.tally.engine.ingest.RecordSlot;
import dev.tally.engine.sink.BatchQueues;
import dev.tally.engine.sink.RollupRowEncoder;
import dev.tally.engine.sink.RowSlot;
import dev.tally.engine.window.WindowStore;

/**
 * The memory section of docs/operations.md, from the code: the window store's bytes per entry and per hash slot
 * read off its array fields, its capacity at a given number of live rows by its growth rule (which
 * {@code OperationsDocTest} checks against a real store), and what {@code ./tally run} allocates at start with
 * the default flags, measured by allocating the same structures here and reading this thread's allocation counter.
 */
final class Sizing
{
    static final long[] LIVE_ROWS = {1_000_000, 5_000_000, 10_000_000, 20_000_000};
    private static final double MIB = 1024.0 * 1024.0;

    private Sizing()
    {
    }

    /**
     * The window store's footprint rule, read off a real store through its own accounting
     * ({@link WindowStore#arrayBytes()}, {@link WindowStore#capacity()}, {@link WindowStore#tableSlots()}): bytes per
     * entry of capacity, per hash slot, and what the delta baseline adds per entry; entries come in whole pages.
     */
    record Layout(long entryBytes, long slotBytes, long deltaBytes, int pageRows, float loadFactor)
    {
        static Layout of()
        {
            final WindowStore store = new WindowStore(16);
            final long slotBytes = Integer.BYTES; // the table is an int[] of entry ids
            final long entryBytes = (store.arrayBytes() - store.tableSlots() * slotBytes) / store.capacity();
            final long before = store.arrayBytes();
            store.emitDeltas();
            final long deltaBytes = (store.arrayBytes() - before) / store.capacity();
            return new Layout(entryBytes, slotBytes, deltaBytes, WindowStore.PAGE_ROWS, WindowStore.LOAD_FACTOR);
        }

        /** Entry capacity once {@code rows} live rows have been inserted into a store made for {@code initial}. */
        long entries(final int initial, final long rows)
        {
            final long wanted = Math.max(Math.max(16, initial), rows);
            return (wanted + pageRows - 1) / pageRows * pageRows;
        }

        /** Hash slots once {@code rows} live rows have been inserted into a store made for {@code initial}. */
        long slots(final int initial, final long rows)
        {
            final int entries = Math.max(16, initial);
            long slots = Integer.highestOneBit(Math.max(32, (int)(entries / loadFactor)) - 1) << 1;
            while (rows > (long)(slots * (double)loadFactor))
            {
                slots <<= 1;
            }
            return slots;
        }

        long bytes(final int initial, final long rows)
        {
            return entries(initial, rows) * entryBytes + slots(initial, rows) * slotBytes;
        }
    }

    /** Bytes this thread allocates to build {@code what} (after one warm-up build, so class loading is not counted). */
    static long allocated(final Supplier<?> what)
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        what.get();
        final long before = threads.getCurrentThreadAllocatedBytes();
        final Object built = what.get();
        final long bytes = threads.getCurrentThreadAllocatedBytes() - before;
        if (built == null)
        {
            throw new AssertionError("nothing built");
        }
        return bytes;
    }

    static String render()
    {
        final EngineConfig c = new EngineConfig();
        final Layout layout = Layout.of();
        final int batchBytes = Math.min(c.batchRows, 1 << 20) * RollupRowEncoder.ROW_LENGTH;
        final long records = allocated(() ->
            RingBuffer.createSingleProducer(RecordSlot::new, c.recordsRingSize, new YieldingWaitStrategy()));
        final long rows = allocated(() ->
            RingBuffer.createSingleProducer(RowSlot::new, c.rowsRingSize, new YieldingWaitStrategy()));
        final long batches = allocated(() -> new BatchQueues(c.batchesInFlight, batchBytes));
        final long store = allocated(() -> new WindowStore(c.expectedWindowRows));

        final StringBuilder md = new StringBuilder();
        md.append("| structure | sized by | allocated at start |\n|---|---|---|\n");
        row(md, "records ring (`RecordSlot`, a 512-byte value buffer each)",
            "`--ring-size` " + count(c.recordsRingSize) + " slots", records);
        row(md, "rows ring (`RowSlot`, a 512-byte raw buffer and a `Checkpoint` each)",
            count(c.rowsRingSize) + " slots (fixed)", rows);
        row(md, "batch pool (`BatchQueues`)", "`--batches-in-flight` " + c.batchesInFlight + " x min(`--batch-rows` " +
            count(c.batchRows) + ", 1,048,576) x " + RollupRowEncoder.ROW_LENGTH + " B", batches);
        row(md, "window store (`WindowStore`)", count(c.expectedWindowRows) + " entries to start", store);
        md.append("| total | | ").append(mib(records + rows + batches + store)).append(" |\n\n");

        md.append("Window store: ").append(layout.entryBytes()).append(" B per entry (a row of eight `long`s, 64 B, ")
            .append("and an `int` chain link, in pages of ").append(count(layout.pageRows())).append(" rows added as ")
            .append("the store fills), ").append(layout.slotBytes()).append(" B per hash slot, at most ")
            .append(layout.loadFactor()).append(" of the slots in use; the at-least-once baseline adds ")
            .append(layout.deltaBytes()).append(" B per entry.\n\n");
        md.append("| live rows | entries | hash slots | window store | per live row |\n|---|---|---|---|---|\n");
        for (final long n : LIVE_ROWS)
        {
            final long bytes = layout.bytes(c.expectedWindowRows, n);
            md.append("| ").append(count(n)).append(" | ").append(count(layout.entries(c.expectedWindowRows, n)))
                .append(" | ").append(count(layout.slots(c.expectedWindowRows, n))).append(" | ").append(mib(bytes))
                .append(" | ").append(bytes / n).append(" B |\n");
        }
        return md.toString();
    }

    private static void row(final StringBuilder md, final String what, final String sizedBy, final long bytes)
    {
        md.append("| ").append(what).append(" | ").append(sizedBy).append(" | ").append(mib(bytes)).append(" |\n");
    }

    private static String mib(final long bytes)
    {
        return String.format(Locale.ROOT, "%,.1f MiB", bytes / MIB);
    }

    private static String count(final long n)
    {
        return String.format(Locale.ROOT, "%,d", n);
    }
}
