package dev.tally.journal;

import java.util.Arrays;

import org.agrona.collections.Long2LongHashMap;

/**
 * What the journal knows without reading it again: the pending batches and the last committed checkpoint.
 * Built by the recovery scan, then kept up to date by every append. Not thread-safe; the journal guards it.
 */
final class JournalState
{
    static final long NONE = -1;

    // Invariant: pending holds exactly the batches whose last prepared entry has no later acknowledged entry.
    private final Long2LongHashMap pendingIndexByBatch = new Long2LongHashMap(64, 0.65f, NONE);
    private long checkpointId = NONE;
    private long checkpointIndex = NONE;
    private int checkpointCount;
    private int[] checkpointPartitions = new int[16];
    private long[] checkpointOffsets = new long[16];
    private long corruptEntries;

    void onPrepared(final long batchId, final long index)
    {
        pendingIndexByBatch.put(batchId, index);
    }

    void onAcknowledged(final long batchId)
    {
        pendingIndexByBatch.remove(batchId);
    }

    void onCorrupt(final long batchId, final long index)
    {
        if (pendingIndexByBatch.get(batchId) == index)
        {
            pendingIndexByBatch.remove(batchId);
        }
        corruptEntries++;
    }

    void onUnreadable()
    {
        corruptEntries++;
    }

    void onCheckpoint(
        final long checkpointId, final long index, final int[] partitions, final long[] offsets, final int count)
    {
        if (checkpointPartitions.length < count)
        {
            checkpointPartitions = new int[count];
            checkpointOffsets = new long[count];
        }
        System.arraycopy(partitions, 0, checkpointPartitions, 0, count);
        System.arraycopy(offsets, 0, checkpointOffsets, 0, count);
        this.checkpointCount = count;
        this.checkpointId = checkpointId;
        this.checkpointIndex = index;
    }

    void onCheckpoint(final CheckpointEntry entry, final long index)
    {
        final int count = entry.count();
        final int[] partitions = new int[count];
        final long[] offsets = new long[count];
        for (int i = 0; i < count; i++)
        {
            partitions[i] = entry.partition(i);
            offsets[i] = entry.offset(i);
        }
        onCheckpoint(entry.checkpointId(), index, partitions, offsets, count);
    }

    int pendingCount()
    {
        return pendingIndexByBatch.size();
    }

    /** @return the queue index of the oldest pending prepared entry, or {@link #NONE}. */
    long oldestPendingIndex()
    {
        return pendingIndexByBatch.isEmpty() ? NONE : pendingIndexByBatch.minValue();
    }

    /** @return the queue indices of the pending prepared entries in prepare order; allocates. */
    long[] pendingIndicesInOrder()
    {
        final long[] indices = new long[pendingIndexByBatch.size()];
        final Long2LongHashMap.ValueIterator values = pendingIndexByBatch.values().iterator();
        for (int i = 0; values.hasNext(); i++)
        {
            indices[i] = values.nextValue();
        }
        Arrays.sort(indices);
        return indices;
    }

    /** @return where a recovery scan may start and still see every pending batch and the last checkpoint. */
    long recoveryStartIndex()
    {
        final long oldest = oldestPendingIndex();
        if (NONE == oldest)
        {
            return checkpointIndex;
        }
        return NONE == checkpointIndex ? oldest : Math.min(oldest, checkpointIndex);
    }

    long checkpointId()
    {
        return checkpointId;
    }

    long checkpointIndex()
    {
        return checkpointIndex;
    }

    Checkpoint checkpoint()
    {
        if (NONE == checkpointIndex)
        {
            return null;
        }
        return new Checkpoint(
            checkpointId,
            Arrays.copyOf(checkpointPartitions, checkpointCount),
            Arrays.copyOf(checkpointOffsets, checkpointCount));
    }

    long corruptEntries()
    {
        return corruptEntries;
    }
}
