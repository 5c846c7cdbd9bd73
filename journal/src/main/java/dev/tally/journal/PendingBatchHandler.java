package dev.tally.journal;

/**
 * Receives the batches that were prepared but never acknowledged, in the order they were prepared.
 */
@FunctionalInterface
public interface PendingBatchHandler
{
    /**
     * One pending batch; {@code batch} and its payload are views that are valid only during this call.
     *
     * @param batch the batch, its payload verified against its checksum.
     */
    void onPending(PendingBatch batch);

    /**
     * A prepared entry whose payload does not match its checksum (torn by a crash or damaged on disk); it is not
     * handed to {@link #onPending} and the journal treats it as never prepared.
     *
     * @param batchId      the batch id read from the entry's header.
     * @param journalIndex the entry's index in the queue.
     */
    default void onCorrupt(final long batchId, final long journalIndex)
    {
    }
}
