package dev.tally.chaos.demo;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/**
 * The engine's counters over all its processes: each process counts from zero, so the last scrape of every process
 * is kept and the counters are summed. A process scraped after its last acknowledgement (the demo scrapes the
 * engine while ClickHouse holds its insert, just before the SIGKILL, and once it has caught up) is counted exactly;
 * one that exited on its own is counted up to its last periodic scrape, and the totals say so.
 */
final class EngineTotals
{
    private final List<EngineMetricsScrape> processes = new ArrayList<>();
    private int approximate;

    /** The last scrape of an engine process that has ended or is done; {@code exact} when nothing was acked after it. */
    void add(final EngineMetricsScrape last, final boolean exact)
    {
        processes.add(last);
        if (!exact)
        {
            approximate++;
        }
    }

    int processes()
    {
        return processes.size();
    }

    /** Processes counted only up to a periodic scrape (they exited on their own). */
    int approximate()
    {
        return approximate;
    }

    long sum(final String series)
    {
        long total = 0;
        for (final EngineMetricsScrape s : processes)
        {
            total += (long)s.sum(series);
        }
        return total;
    }

    /** Sums the counters of these processes and {@code current} (the one still running). */
    static long sum(final EngineTotals totals, final EngineMetricsScrape current, final String series)
    {
        return totals.sum(series) + (current == null ? 0 : (long)current.sum(series));
    }

    /**
     * Rows per insert from the engine's {@code tally_insert_batch_rows} histogram: the exact mean (sum / count) and
     * the bucket each of the smallest, the median and the largest batch falls in (the histogram keeps no more).
     */
    String batchSizes()
    {
        final TreeMap<Double, Long> buckets = new TreeMap<>();
        for (final EngineMetricsScrape s : processes)
        {
            s.buckets(EngineMetricsScrape.BATCH_ROWS).forEach((le, n) -> buckets.merge(le, n, Long::sum));
        }
        final long count = sum(EngineMetricsScrape.BATCH_ROWS + "_count");
        final double rows = processes.stream().mapToDouble(s -> s.value(EngineMetricsScrape.BATCH_ROWS + "_sum")).sum();
        if (count == 0 || buckets.isEmpty())
        {
            return "no batches";
        }
        return String.format(Locale.ROOT, "rows per batch: mean %,.0f; smallest %s, median %s, largest %s " +
            "(tally_insert_batch_rows buckets)", rows / count, bucketOf(buckets, 1), bucketOf(buckets, (count + 1) / 2),
            bucketOf(buckets, count));
    }

    /** The bucket holding the {@code rank}-th smallest batch, as "(lower, upper]". */
    static String bucketOf(final TreeMap<Double, Long> cumulative, final long rank)
    {
        double lower = 0;
        for (final Map.Entry<Double, Long> b : cumulative.entrySet())
        {
            if (b.getValue() >= rank)
            {
                return b.getKey().isInfinite() ? String.format(Locale.ROOT, "> %,.0f", lower) :
                    String.format(Locale.ROOT, "in (%,.0f, %,.0f]", lower, b.getKey());
            }
            lower = b.getKey();
        }
        return "?";
    }
}
