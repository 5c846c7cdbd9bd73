package dev.tally.engine.report;

import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.lang.management.MemoryUsage;
import java.nio.file.Path;
import java.util.Locale;
import java.util.function.IntSupplier;

import dev.tally.engine.EngineCounters;
import dev.tally.engine.latency.LatencyRecorders;
import dev.tally.engine.window.Windowing;

import org.HdrHistogram.Histogram;
import org.agrona.concurrent.Agent;

/**
 * The reporting thread, once a second: takes each latency part's interval histogram from its recorder (writing it
 * to the interval log), keeps the percentiles of the last complete 10-second window for /metrics and the status line,
 * samples the dashboard's series, and rewrites the {@code .hgrm} files every 10 seconds and at close. Reads the
 * stages' counters; writes nothing they read.
 */
public final class Reporter implements Agent
{
    private static final long PERIOD_MS = 1000;
    private static final int WINDOW_PERIODS = 10;
    private static final int PARTS = LatencyRecorders.PARTS.length;
    public static final double[] QUANTILES = {0.5, 0.99, 0.999};

    private final EngineCounters counters;
    private final LatencyRecorders recorders;
    private final Series series;
    private final LatencyLog log;
    private final IntSupplier batchesInFlight;
    private final IntSupplier liveRows;
    private final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
    private final Histogram[] interval = new Histogram[PARTS];
    private final Histogram[] cumulative = new Histogram[PARTS];
    private final Histogram[] filling = new Histogram[PARTS];
    /** Percentiles (ms) of the last complete window, [part][quantile]; NaN when nothing became visible in it. */
    private volatile double[][] windowPercentiles = new double[PARTS][QUANTILES.length];
    private volatile String statusLine = "starting";
    private final double[] row = new double[Series.COLUMNS.length];
    private long nextMs;
    private int periods;
    private long lastRecords;
    private long lastRows;
    private long lastBatches;
    private long lastMs;

    /**
     * @param latencyDir where the interval log and .hgrm files go, or null for none
     */
    public Reporter(final EngineCounters counters, final LatencyRecorders recorders, final Series series,
        final Path latencyDir, final IntSupplier batchesInFlight, final IntSupplier liveRows)
    {
        this.counters = counters;
        this.recorders = recorders;
        this.series = series;
        this.batchesInFlight = batchesInFlight;
        this.liveRows = liveRows;
        final long now = System.currentTimeMillis();
        this.log = latencyDir == null ? null : new LatencyLog(latencyDir, now);
        for (int p = 0; p < PARTS; p++)
        {
            cumulative[p] = new Histogram(LatencyRecorders.HIGHEST_MS, LatencyRecorders.SIGNIFICANT_DIGITS);
            filling[p] = new Histogram(LatencyRecorders.HIGHEST_MS, LatencyRecorders.SIGNIFICANT_DIGITS);
            cumulative[p].setStartTimeStamp(now);
        }
        for (final double[] q : windowPercentiles)
        {
            java.util.Arrays.fill(q, Double.NaN);
        }
        this.nextMs = now + PERIOD_MS;
        this.lastMs = now;
    }

    @Override
    public int doWork()
    {
        final long now = System.currentTimeMillis();
        if (now < nextMs)
        {
            return 0;
        }
        nextMs = now + PERIOD_MS;
        sample(now);
        return 1;
    }

    private synchronized void sample(final long now)
    {
        final double[] intervalPercentiles = new double[QUANTILES.length];
        for (int p = 0; p < PARTS; p++)
        {
            interval[p] = recorders.part(p).getIntervalHistogram(interval[p]);
            cumulative[p].add(interval[p]);
            cumulative[p].setEndTimeStamp(now);
            filling[p].add(interval[p]);
            if (log != null)
            {
                log.interval(p, interval[p]);
            }
            if (p == 0)
            {
                for (int q = 0; q < QUANTILES.length; q++)
                {
                    intervalPercentiles[q] = percentile(interval[p], QUANTILES[q]);
                }
            }
        }
        if (++periods % WINDOW_PERIODS == 0)
        {
            final double[][] window = new double[PARTS][QUANTILES.length];
            for (int p = 0; p < PARTS; p++)
            {
                for (int q = 0; q < QUANTILES.length; q++)
                {
                    window[p][q] = percentile(filling[p], QUANTILES[q]);
                }
                filling[p].reset();
                if (log != null)
                {
                    log.percentiles(p, cumulative[p]);
                }
            }
            windowPercentiles = window;
        }
        if (log != null)
        {
            log.flush();
        }

        final double seconds = Math.max(1, now - lastMs) / 1000.0;
        final long records = counters.recordsIn.get();
        final long rows = counters.rowsInserted.get();
        final long batches = counters.batchesInserted.get();
        final MemoryUsage heap = memory.getHeapMemoryUsage();
        row[0] = (records - lastRecords) / seconds;
        row[1] = (rows - lastRows) / seconds;
        row[2] = totalLag();
        row[3] = intervalPercentiles[0];
        row[4] = intervalPercentiles[1];
        row[5] = intervalPercentiles[2];
        row[6] = batches > lastBatches ? (double)(rows - lastRows) / (batches - lastBatches) : Double.NaN;
        row[7] = heap.getUsed() / 1048576.0;
        row[8] = heap.getMax() / 1048576.0;
        row[9] = counters.pausedPartitions.get();
        statusLine = String.format(Locale.ROOT,
            "%,.0f rec/s  lag %s  wm lag %s  batches %,d (%s in flight)  e2e p99 %s  paused %d  heap %,.0f MB",
            row[0], row[2] < 0 ? "?" : String.format(Locale.ROOT, "%,.0f", row[2]), seconds(watermarkLagSeconds(now)),
            batches, batchesInFlight.getAsInt(), millis(windowPercentiles[0][1]), (long)row[9], row[7]);
        series.add(now, row, statusLine);
        lastRecords = records;
        lastRows = rows;
        lastBatches = batches;
        lastMs = now;
    }

    /** The sum of the reported partitions' lag, or -1 when none is known. */
    public long totalLag()
    {
        long sum = 0;
        boolean any = false;
        for (int p = 0; p < EngineCounters.REPORTED_PARTITIONS; p++)
        {
            final long lag = counters.lag.get(p);
            if (lag >= 0)
            {
                sum += lag;
                any = true;
            }
        }
        return any ? sum : -1;
    }

    /** Wall clock minus the smallest watermark owned, in seconds; NaN when there is none. */
    public double watermarkLagSeconds(final long nowMs)
    {
        final long wm = counters.minWatermarkMs.get();
        return wm == Windowing.NO_WATERMARK ? Double.NaN : (nowMs - wm) / 1000.0;
    }

    /** Percentile {@code quantile} (one of {@link #QUANTILES}) of {@code part} over the last complete 10 s, in ms. */
    public double windowPercentile(final int part, final int quantile)
    {
        return windowPercentiles[part][quantile];
    }

    /** Live rows in window state (for /metrics). */
    public int liveRows()
    {
        return liveRows.getAsInt();
    }

    public int batchesInFlight()
    {
        return batchesInFlight.getAsInt();
    }

    /** The one-line live status, refreshed each second. */
    public String statusLine()
    {
        return statusLine;
    }

    /** The interval log of this process, or null. */
    public Path intervalLog()
    {
        return log == null ? null : log.hlog();
    }

    /** The percentile file of the whole latency, or null. */
    public Path totalPercentiles()
    {
        return log == null ? null : log.hgrm(0);
    }

    /** Percentile {@code quantile} of {@code part} since this process started, in ms (NaN when empty). */
    public synchronized double cumulativePercentile(final int part, final double quantile)
    {
        return percentile(cumulative[part], quantile);
    }

    /** Records whose latency {@code part} has been recorded since this process started. */
    public synchronized long cumulativeCount(final int part)
    {
        return cumulative[part].getTotalCount();
    }

    @Override
    public void onClose()
    {
        sample(System.currentTimeMillis());
        if (log != null)
        {
            for (int p = 0; p < PARTS; p++)
            {
                log.percentiles(p, cumulative[p]);
            }
            log.close();
        }
    }

    @Override
    public String roleName()
    {
        return "reporter";
    }

    private static double percentile(final Histogram h, final double quantile)
    {
        return h.getTotalCount() == 0 ? Double.NaN : h.getValueAtPercentile(quantile * 100.0);
    }

    private static String millis(final double ms)
    {
        if (Double.isNaN(ms))
        {
            return "-";
        }
        return ms < 10_000 ? String.format(Locale.ROOT, "%,.0f ms", ms) : String.format(Locale.ROOT, "%,.1f s", ms / 1000);
    }

    private static String seconds(final double s)
    {
        return Double.isNaN(s) ? "-" : String.format(Locale.ROOT, "%,.1f s", s);
    }
}
