package dev.tally.engine.sink;

import java.util.Arrays;

/**
 * Per-partition recovery points taken by the windowing thread at a tick, after that tick's rows were emitted:
 * for each partition, the low-water offset R a replay starts from, the largest event time at R, the position T
 * (every record below it has had its rows emitted) and the watermark at T. It travels behind those rows through the
 * rows ring and rides on the batch cut with it; once ClickHouse has acknowledged that batch (and so, in order, every
 * batch before it), the consumer thread may commit offset R with "tally1 T= W= M=" as metadata. Reused: copies
 * grow their arrays rarely and never allocate per event.
 */
public final class Checkpoint
{
    private int count;
    private int[] partitions = new int[16];
    private long[] lowWater = new long[16];
    private long[] maxTime = new long[16];
    private long[] position = new long[16];
    private long[] watermark = new long[16];
    private boolean last;
    private int latencyCycle = -1;

    public void clear()
    {
        count = 0;
        last = false;
        latencyCycle = -1;
    }

    /** The latency cycle ({@link dev.tally.engine.latency.LatencyCycles}) whose records this checkpoint closes, or -1. */
    public void latencyCycle(final int cycle)
    {
        this.latencyCycle = cycle;
    }

    public int latencyCycle()
    {
        return latencyCycle;
    }

    public void add(final int partition, final long lowWaterOffset, final long maxTimeAtLowWater,
        final long positionOffset, final long watermarkAtPosition)
    {
        if (count == partitions.length)
        {
            final int n = count << 1;
            partitions = Arrays.copyOf(partitions, n);
            lowWater = Arrays.copyOf(lowWater, n);
            maxTime = Arrays.copyOf(maxTime, n);
            position = Arrays.copyOf(position, n);
            watermark = Arrays.copyOf(watermark, n);
        }
        partitions[count] = partition;
        lowWater[count] = lowWaterOffset;
        maxTime[count] = maxTimeAtLowWater;
        position[count] = positionOffset;
        watermark[count] = watermarkAtPosition;
        count++;
    }

    public void copyFrom(final Checkpoint other)
    {
        clear();
        for (int i = 0; i < other.count; i++)
        {
            add(other.partitions[i], other.lowWater[i], other.maxTime[i], other.position[i], other.watermark[i]);
        }
        last = other.last;
        latencyCycle = other.latencyCycle;
    }

    /** Marks the checkpoint taken at the end of input (stop-at-end). */
    public void last(final boolean last)
    {
        this.last = last;
    }

    public boolean last()
    {
        return last;
    }

    public int count()
    {
        return count;
    }

    public int partition(final int i)
    {
        return partitions[i];
    }

    public long lowWater(final int i)
    {
        return lowWater[i];
    }

    public long maxTime(final int i)
    {
        return maxTime[i];
    }

    public long position(final int i)
    {
        return position[i];
    }

    public long watermark(final int i)
    {
        return watermark[i];
    }
}
