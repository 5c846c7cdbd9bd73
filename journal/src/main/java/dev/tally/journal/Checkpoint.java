package dev.tally.journal;

import java.util.Arrays;

/**
 * The last committed checkpoint found in the journal: its id and the Kafka offset committed for each partition.
 *
 * @param checkpointId the checkpoint id.
 * @param partitions   the partitions, parallel to {@code offsets}; a copy owned by this record.
 * @param offsets      the committed offsets; a copy owned by this record.
 */
public record Checkpoint(long checkpointId, int[] partitions, long[] offsets)
{
    /** @return the number of partitions. */
    public int count()
    {
        return partitions.length;
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof final Checkpoint that && checkpointId == that.checkpointId &&
            Arrays.equals(partitions, that.partitions) && Arrays.equals(offsets, that.offsets);
    }

    @Override
    public int hashCode()
    {
        return 31 * (31 * Long.hashCode(checkpointId) + Arrays.hashCode(partitions)) + Arrays.hashCode(offsets);
    }

    @Override
    public String toString()
    {
        return "Checkpoint{id=" + checkpointId + ", partitions=" + Arrays.toString(partitions) + ", offsets=" +
            Arrays.toString(offsets) + '}';
    }
}
