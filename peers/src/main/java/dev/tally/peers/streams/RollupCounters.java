package dev.tally.peers.streams;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;

import org.HdrHistogram.ConcurrentHistogram;
import org.HdrHistogram.Histogram;

/**
 * What the Streams topology counts as it runs, shared by its stream threads: records read from the input topic,
 * malformed ones, rows written to the output topic, when the first record arrived, and the latency of each output
 * row: the wall time at which the row leaves the window store for the output topic (a cache flush, i.e. a commit,
 * or a cache eviction) minus the Kafka timestamp of the newest input record folded into it. The row becomes
 * visible to read_committed readers when that commit's transaction completes, shortly after.
 */
public final class RollupCounters
{
    private static final long MAX_LATENCY_MS = 24L * 3600 * 1000;

    private final LongAdder records = new LongAdder();
    private final LongAdder malformed = new LongAdder();
    private final LongAdder rows = new LongAdder();
    private final AtomicLong firstRecordNanos = new AtomicLong();
    private final Histogram latencyMs = new ConcurrentHistogram(MAX_LATENCY_MS, 3);

    /**
     * Counts one input record.
     *
     * @param event the decoded event, or null if the value was malformed.
     * @return true if the record goes on into the rollup.
     */
    boolean onRecord(final Event event)
    {
        if (firstRecordNanos.get() == 0)
        {
            firstRecordNanos.compareAndSet(0, System.nanoTime());
        }
        records.increment();
        if (event == null)
        {
            malformed.increment();
            return false;
        }
        return true;
    }

    /**
     * Counts one output row and its latency.
     *
     * @param rollup the aggregate the row carries.
     */
    void onRow(final Rollup rollup)
    {
        rows.increment();
        if (rollup.lastKafkaTimestamp() >= 0)
        {
            latencyMs.recordValue(Math.clamp(System.currentTimeMillis() - rollup.lastKafkaTimestamp(), 0, MAX_LATENCY_MS));
        }
    }

    /** @return input records seen, malformed ones included. */
    public long records()
    {
        return records.sum();
    }

    /** @return input records whose value did not decode. */
    public long malformed()
    {
        return malformed.sum();
    }

    /** @return rows written to the output topic (updates, see {@link RollupRow}). */
    public long rows()
    {
        return rows.sum();
    }

    /** @return {@link System#nanoTime()} at the first input record, 0 if none came yet. */
    public long firstRecordNanos()
    {
        return firstRecordNanos.get();
    }

    /**
     * @param quantile e.g. 0.99; 1.0 for the maximum.
     * @return the row latency at that quantile in ms, or -1 if no row was written.
     */
    public long latencyMs(final double quantile)
    {
        if (latencyMs.getTotalCount() == 0)
        {
            return -1;
        }
        return quantile >= 1.0 ? latencyMs.getMaxValue() : latencyMs.getValueAtPercentile(quantile * 100);
    }
}
