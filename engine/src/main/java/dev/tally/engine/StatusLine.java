package dev.tally.engine;

import java.io.PrintStream;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * While {@code run} works: on a terminal, the reporter's one-line live status (rate, lag, watermark lag, batches,
 * p99, paused) rewritten in place every second; otherwise (a log file) that line plus the stage counters every five
 * seconds. A summary at the end. Not on any hot path.
 */
final class StatusLine
{
    private static final long LOG_PERIOD_NS = 5_000_000_000L;
    private static final long LIVE_PERIOD_NS = 1_000_000_000L;

    private final Engine engine;
    private final PrintStream out;
    private final boolean live;
    private final long startNs = System.nanoTime();
    private long lastNs = startNs;
    private int lastWidth;
    private final AtomicBoolean summarized = new AtomicBoolean();

    StatusLine(final Engine engine, final PrintStream out)
    {
        this.engine = engine;
        this.out = out;
        this.live = System.console() != null && System.console().isTerminal() && out == System.err;
    }

    void maybePrint()
    {
        final long now = System.nanoTime();
        if (now - lastNs < (live ? LIVE_PERIOD_NS : LOG_PERIOD_NS))
        {
            return;
        }
        lastNs = now;
        final String line = engine.reporter().statusLine();
        if (live)
        {
            out.print("\r" + line + " ".repeat(Math.max(0, lastWidth - line.length())));
            out.flush();
            lastWidth = line.length();
            return;
        }
        final EngineCounters c = engine.counters();
        out.println(String.format(Locale.ROOT,
            "%s | records %,d  rows emitted %,d  retries %,d  late %,d  malformed %,d  future %,d  live windows %,d  " +
            "pauses %,d  commits failed %,d  partitions lost %,d",
            line, c.recordsIn.get(), c.rowsEmitted.get(), c.insertRetries.get(), c.late.get(), c.malformed.get(),
            c.future.get(), engine.liveRows(), c.consumerPauses.get(), c.commitFailures.get(), c.partitionsLost.get()));
    }

    /** The end-of-run summary, printed once (by the main thread or by the shutdown hook, whichever comes first). */
    void printSummary()
    {
        if (!summarized.compareAndSet(false, true))
        {
            return;
        }
        if (live && lastWidth > 0)
        {
            out.println();
        }
        final EngineCounters c = engine.counters();
        final double seconds = (System.nanoTime() - startNs) / 1e9;
        out.println(String.format(Locale.ROOT,
            "tally run: %,d records in %.1fs (%,.0f/s); %,d accepted; side output: %,d late, %,d malformed, %,d future; " +
            "%,d rows in %,d batches inserted, %,d retries; %,d journaled batches of an earlier run re-sent",
            c.recordsIn.get(), seconds, c.recordsIn.get() / Math.max(seconds, 1e-9), c.recordsAccepted.get(),
            c.late.get(), c.malformed.get(), c.future.get(), c.rowsInserted.get(), c.batchesInserted.get(),
            c.insertRetries.get(), engine.batchesRecovered()));
        final var r = engine.reporter();
        out.println(String.format(Locale.ROOT,
            "tally run: end-to-end latency p50 %s, p99 %s, p99.9 %s, max %s (emit wait p99 %s, queue p99 %s, insert p99 %s)",
            ms(r.cumulativePercentile(0, 0.5)), ms(r.cumulativePercentile(0, 0.99)), ms(r.cumulativePercentile(0, 0.999)),
            ms(r.cumulativePercentile(0, 1.0)), ms(r.cumulativePercentile(1, 0.99)), ms(r.cumulativePercentile(2, 0.99)),
            ms(r.cumulativePercentile(3, 0.99))));
    }

    private static String ms(final double ms)
    {
        return Double.isNaN(ms) ? "-" : String.format(Locale.ROOT, "%,.0f ms", ms);
    }
}
