package dev.tally.journal;

import net.openhft.chronicle.bytes.MethodId;

/**
 * The journal's messages, written with a Chronicle MethodWriter and read back with a MethodReader. The method ids
 * are part of the on-disk format: never renumber them.
 */
public interface JournalEvents
{
    /**
     * A batch is about to be sent to ClickHouse; the entry carries everything needed to re-send it byte for byte.
     *
     * @param entry the batch's header and payload.
     */
    @MethodId(1)
    void prepared(PreparedEntry entry);

    /**
     * ClickHouse acknowledged the batch.
     *
     * @param batchId the id given to {@link #prepared}.
     */
    @MethodId(2)
    void acknowledged(long batchId);

    /**
     * Kafka offsets were committed for a checkpoint.
     *
     * @param entry the checkpoint id and the committed offset of each partition.
     */
    @MethodId(3)
    void checkpointCommitted(CheckpointEntry entry);
}
