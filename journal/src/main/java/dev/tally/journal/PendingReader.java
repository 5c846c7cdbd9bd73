package dev.tally.journal;

import net.openhft.chronicle.bytes.MethodReader;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

/**
 * The second recovery pass: reads the prepared entries of the pending batches by index, copies each payload,
 * verifies its checksum and hands it on. Allocates a payload buffer as large as the largest pending payload.
 */
final class PendingReader implements JournalEvents
{
    private final JournalState state;
    private final PayloadChecksum checksum = new PayloadChecksum();
    private final PendingBatch view = new PendingBatch();
    private PendingBatchHandler handler;
    private byte[] payload = new byte[0];
    private long index;
    private boolean found;
    private int delivered;

    private PendingReader(final JournalState state)
    {
        this.state = state;
    }

    /**
     * @param queue   the journal's queue.
     * @param state   the journal's state; batches whose payload fails its checksum are dropped from it.
     * @param handler receives each verified pending batch in prepare order.
     * @return the number of batches handed to {@code handler}.
     */
    static int replay(final SingleChronicleQueue queue, final JournalState state, final PendingBatchHandler handler)
    {
        final PendingReader pass = new PendingReader(state);
        pass.handler = handler;
        final long[] indices = state.pendingIndicesInOrder();
        try (ExcerptTailer tailer = queue.createTailer())
        {
            final MethodReader reader = tailer.methodReader(pass);
            for (final long index : indices)
            {
                pass.index = index;
                pass.found = false;
                if (!tailer.moveToIndex(index) || !reader.readOne() || !pass.found)
                {
                    throw new IllegalStateException(
                        "journal lost the prepared entry at index 0x" + Long.toHexString(index));
                }
            }
            reader.close();
        }
        return pass.delivered;
    }

    @Override
    public void prepared(final PreparedEntry entry)
    {
        found = true;
        final int length = entry.payloadLength();
        if (payload.length < length)
        {
            payload = new byte[length];
        }
        entry.copyPayloadTo(payload);
        view.set(entry, payload, index);
        if (checksum.crc32c(view.payload(), 0, length) != entry.checksum())
        {
            state.onCorrupt(entry.batchId(), index);
            handler.onCorrupt(entry.batchId(), index);
            return;
        }
        delivered++;
        handler.onPending(view);
    }

    @Override
    public void acknowledged(final long batchId)
    {
    }

    @Override
    public void checkpointCommitted(final CheckpointEntry entry)
    {
    }
}
