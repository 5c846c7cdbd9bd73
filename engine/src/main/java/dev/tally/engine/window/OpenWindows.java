package dev.tally.engine.window;

import java.util.Arrays;

/**
 * The open windows of one (partition, kind), sorted by start: each with the head of its chain of entries in the
 * {@link WindowStore}, the offset of the first record folded into it (records arrive in offset order, so this
 * is the smallest) and the partition's largest event time before that record, which is what a replay from that
 * offset must restore. A partition has few open windows (lateness / window size, plus stragglers), so sorted arrays
 * with binary search beat a map here.
 */
final class OpenWindows
{
    private long[] starts = new long[8];
    private int[] heads = new int[8];
    private long[] firstOffsets = new long[8];
    private long[] maxTimesBefore = new long[8];
    private int size;

    int size()
    {
        return size;
    }

    long start(final int index)
    {
        return starts[index];
    }

    int head(final int index)
    {
        return heads[index];
    }

    long firstOffset(final int index)
    {
        return firstOffsets[index];
    }

    long maxTimeBefore(final int index)
    {
        return maxTimesBefore[index];
    }

    void head(final int index, final int id)
    {
        heads[index] = id;
    }

    /** Index of the window starting at {@code start}, or -(insertion point) - 1. */
    int indexOf(final long start)
    {
        return Arrays.binarySearch(starts, 0, size, start);
    }

    /** Opens a window at the insertion point returned by {@link #indexOf}; returns its index. */
    int open(final int insertionPoint, final long start, final long firstOffset, final long maxTimeBefore)
    {
        if (size == starts.length)
        {
            starts = Arrays.copyOf(starts, size << 1);
            heads = Arrays.copyOf(heads, size << 1);
            firstOffsets = Arrays.copyOf(firstOffsets, size << 1);
            maxTimesBefore = Arrays.copyOf(maxTimesBefore, size << 1);
        }
        final int tail = size - insertionPoint;
        System.arraycopy(starts, insertionPoint, starts, insertionPoint + 1, tail);
        System.arraycopy(heads, insertionPoint, heads, insertionPoint + 1, tail);
        System.arraycopy(firstOffsets, insertionPoint, firstOffsets, insertionPoint + 1, tail);
        System.arraycopy(maxTimesBefore, insertionPoint, maxTimesBefore, insertionPoint + 1, tail);
        starts[insertionPoint] = start;
        heads[insertionPoint] = WindowStore.NONE;
        firstOffsets[insertionPoint] = firstOffset;
        maxTimesBefore[insertionPoint] = maxTimeBefore;
        size++;
        return insertionPoint;
    }

    /** Forgets the oldest window (its entries must already be removed from the store). */
    void closeFirst()
    {
        size--;
        System.arraycopy(starts, 1, starts, 0, size);
        System.arraycopy(heads, 1, heads, 0, size);
        System.arraycopy(firstOffsets, 1, firstOffsets, 0, size);
        System.arraycopy(maxTimesBefore, 1, maxTimesBefore, 0, size);
    }

    /** Index of the window whose first record came earliest, or -1 when none is open. */
    int earliestFirstOffset()
    {
        int best = -1;
        for (int i = 0; i < size; i++)
        {
            if (best < 0 || firstOffsets[i] < firstOffsets[best])
            {
                best = i;
            }
        }
        return best;
    }

    /** Forgets every window (its entries must already be removed from the store). */
    void clear()
    {
        size = 0;
    }
}
