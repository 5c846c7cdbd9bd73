package dev.tally.journal;

import net.openhft.chronicle.bytes.MethodReader;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

/**
 * The first recovery pass: reads every entry from the recovery start to the end, noting prepared batches,
 * acknowledgements and checkpoints. Payloads are skipped, not read, so the scan touches only entry headers.
 */
final class RecoveryScan implements JournalEvents
{
    private final JournalState state;
    private ExcerptTailer tailer;

    private RecoveryScan(final JournalState state)
    {
        this.state = state;
    }

    /**
     * @param queue      the journal's queue.
     * @param startIndex the first index to read, or {@link JournalState#NONE} (or a pruned index) for the start.
     * @param state      receives what the entries say.
     * @return the number of entries read.
     */
    static long scan(final SingleChronicleQueue queue, final long startIndex, final JournalState state)
    {
        final RecoveryScan scan = new RecoveryScan(state);
        try (ExcerptTailer tailer = queue.createTailer())
        {
            scan.tailer = tailer;
            if (JournalState.NONE == startIndex || startIndex < queue.firstIndex() || !tailer.moveToIndex(startIndex))
            {
                tailer.toStart();
            }
            final MethodReader reader = tailer.methodReader(scan);
            long entries = 0;
            while (true)
            {
                final long before = tailer.index();
                try
                {
                    if (!reader.readOne())
                    {
                        break;
                    }
                }
                catch (final RuntimeException ex)
                {
                    state.onUnreadable();
                    if (tailer.index() == before && !tailer.moveToIndex(before + 1))
                    {
                        break;
                    }
                }
                entries++;
            }
            reader.close();
            return entries;
        }
    }

    @Override
    public void prepared(final PreparedEntry entry)
    {
        state.onPrepared(entry.batchId(), tailer.index());
    }

    @Override
    public void acknowledged(final long batchId)
    {
        state.onAcknowledged(batchId);
    }

    @Override
    public void checkpointCommitted(final CheckpointEntry entry)
    {
        state.onCheckpoint(entry, tailer.index());
    }
}
