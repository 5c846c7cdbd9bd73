package dev.tally.engine;

import java.io.PrintStream;
import java.util.Locale;

/** A status line every few seconds while {@code run} works, and a summary at the end. Not on any hot path. */
final class StatusLine
{
    private static final long PERIOD_NS = 5_000_000_000L;

    private final Engine engine;
    private final PrintStream out;
    private final long startNs = System.nanoTime();
    private long lastNs = startNs;
    private long lastRecords;

    StatusLine(final Engine engine, final PrintStream out)
    {
        this.engine = engine;
        this.out = out;
    }

    void maybePrint()
    {
        final long now = System.nanoTime();
        if (now - lastNs < PERIOD_NS)
        {
            return;
        }
        final EngineCounters c = engine.counters();
        final long records = c.recordsIn.get();
        final double rate = (records - lastRecords) * 1e9 / (now - lastNs);
        out.println(String.format(Locale.ROOT,
            "records %,d (%,.0f/s)  rows emitted %,d  batches inserted %,d  retries %,d  late %,d  " +
            "malformed %,d  future %,d  live windows %,d  pauses %,d  commits failed %,d  partitions lost %,d",
            records, rate, c.rowsEmitted.get(), c.batchesInserted.get(), c.insertRetries.get(), c.late.get(),
            c.malformed.get(), c.future.get(), engine.liveRows(), c.consumerPauses.get(), c.commitFailures.get(),
            c.partitionsLost.get()));
        lastNs = now;
        lastRecords = records;
    }

    void printSummary()
    {
        final EngineCounters c = engine.counters();
        final double seconds = (System.nanoTime() - startNs) / 1e9;
        out.println(String.format(Locale.ROOT,
            "tally run: %,d records in %.1fs (%,.0f/s); %,d accepted; side output: %,d late, %,d malformed, %,d future; " +
            "%,d rows in %,d batches inserted, %,d retries; %,d journaled batches of an earlier run re-sent",
            c.recordsIn.get(), seconds, c.recordsIn.get() / Math.max(seconds, 1e-9), c.recordsAccepted.get(),
            c.late.get(), c.malformed.get(), c.future.get(), c.rowsInserted.get(), c.batchesInserted.get(),
            c.insertRetries.get(), engine.batchesRecovered()));
    }
}
