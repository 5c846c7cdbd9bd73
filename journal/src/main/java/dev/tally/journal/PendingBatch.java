package dev.tally.journal;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A batch that was prepared but never acknowledged: what the engine needs to re-send it byte for byte with the same
 * deduplication token. Handed to a {@link PendingBatchHandler} as a reused view, or kept as a {@link #copy()}.
 */
public final class PendingBatch
{
    private final StringBuilder token = new StringBuilder(64);
    private final UnsafeBuffer payload = new UnsafeBuffer(new byte[0]);
    private long batchId;
    private int table;
    private int rows;
    private long checksum;
    private long journalIndex;

    PendingBatch set(final PreparedEntry entry, final byte[] payloadBytes, final long journalIndex)
    {
        this.batchId = entry.batchId();
        this.table = entry.table();
        this.rows = entry.rows();
        this.checksum = entry.checksum();
        this.journalIndex = journalIndex;
        token.setLength(0);
        token.append(entry.token());
        payload.wrap(payloadBytes, 0, entry.payloadLength());
        return this;
    }

    /** @return a copy that owns its token and payload, valid after the callback returns. */
    public PendingBatch copy()
    {
        final PendingBatch copy = new PendingBatch();
        final byte[] bytes = new byte[payload.capacity()];
        payload.getBytes(0, bytes);
        copy.batchId = batchId;
        copy.table = table;
        copy.rows = rows;
        copy.checksum = checksum;
        copy.journalIndex = journalIndex;
        copy.token.append(token);
        copy.payload.wrap(bytes);
        return copy;
    }

    /** @return the batch id. */
    public long batchId()
    {
        return batchId;
    }

    /** @return the table id. */
    public int table()
    {
        return table;
    }

    /** @return the deduplication token to re-send with. */
    public CharSequence token()
    {
        return token;
    }

    /** @return the number of rows. */
    public int rows()
    {
        return rows;
    }

    /** @return the CRC32C of the payload; the payload has been verified against it. */
    public long checksum()
    {
        return checksum;
    }

    /** @return the RowBinary payload, exactly {@code payload().capacity()} bytes long. */
    public DirectBuffer payload()
    {
        return payload;
    }

    /** @return the index of the prepared entry in the underlying queue. */
    public long journalIndex()
    {
        return journalIndex;
    }

    @Override
    public String toString()
    {
        return "PendingBatch{batchId=" + batchId + ", table=" + table + ", rows=" + rows + ", token=" + token +
            ", bytes=" + payload.capacity() + ", index=0x" + Long.toHexString(journalIndex) + '}';
    }
}
