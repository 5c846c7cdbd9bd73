package dev.tally.engine.ingest;

import java.util.Arrays;

/**
 * Where a bounded read (a backfill) takes each partition: it starts at {@link #start} when its group has no commit
 * for the partition (else at the commit, as a live engine does), and the partition is finished once its watermark
 * reaches {@link #stopWatermarkMs} (every window of the range is closed there) or its next offset reaches
 * {@link #end} (the log end when the plan was made). The consumer pauses a finished partition and signals the end
 * once all are finished. Partitions are numbered 0..n-1, as Kafka numbers them.
 */
public final class ReadBounds
{
    private final long[] start;
    private final long[] end;
    private final long stopWatermarkMs;
    private final long maxRecordsPerSecond;

    /**
     * @param start               per partition: the first offset to read when the group has no commit
     * @param end                 per partition: the offset not to read at or past
     * @param stopWatermarkMs     a partition is finished once its watermark is at or past this
     * @param maxRecordsPerSecond records put into the ring per second at most, 0 for no limit
     */
    public ReadBounds(final long[] start, final long[] end, final long stopWatermarkMs, final long maxRecordsPerSecond)
    {
        if (start.length != end.length || start.length == 0)
        {
            throw new IllegalArgumentException("start and end offsets must cover the same partitions, at least one");
        }
        if (maxRecordsPerSecond < 0)
        {
            throw new IllegalArgumentException("the rate limit must be >= 0, not " + maxRecordsPerSecond);
        }
        this.start = start.clone();
        this.end = end.clone();
        this.stopWatermarkMs = stopWatermarkMs;
        this.maxRecordsPerSecond = maxRecordsPerSecond;
    }

    public int partitions()
    {
        return start.length;
    }

    public long start(final int partition)
    {
        return start[partition];
    }

    public long end(final int partition)
    {
        return end[partition];
    }

    public long stopWatermarkMs()
    {
        return stopWatermarkMs;
    }

    public long maxRecordsPerSecond()
    {
        return maxRecordsPerSecond;
    }

    @Override
    public String toString()
    {
        return "ReadBounds[start=" + Arrays.toString(start) + ", end=" + Arrays.toString(end) + ", stopWatermark=" +
            stopWatermarkMs + ", maxRecordsPerSecond=" + maxRecordsPerSecond + "]";
    }
}
