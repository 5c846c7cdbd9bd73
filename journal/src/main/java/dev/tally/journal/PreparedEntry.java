package dev.tally.journal;

import net.openhft.chronicle.bytes.BytesIn;
import net.openhft.chronicle.bytes.BytesMarshallable;
import net.openhft.chronicle.bytes.BytesOut;
import org.agrona.DirectBuffer;

/**
 * The body of a {@link JournalEvents#prepared} message, a reusable flyweight for both directions.
 * <p>
 * Layout (little-endian): {@code u8 version | i64 batchId | i32 table | i32 rows | i64 checksum |
 * stop-bit length + UTF-8 token | i32 payloadLength | payload bytes}. Writing copies the payload straight from the
 * caller's {@link DirectBuffer} into the mapped file; reading only notes where the payload is, so a
 * scan that does not need the payload never touches its pages.
 */
public final class PreparedEntry implements BytesMarshallable
{
    /** The layout version written first in every entry. */
    public static final byte VERSION = 1;

    private final StringBuilder token = new StringBuilder(64);
    private long batchId;
    private int table;
    private int rows;
    private long checksum;
    private CharSequence tokenOut;
    private DirectBuffer payloadOut;
    private int payloadOffset;
    private int payloadLength;
    private BytesIn<?> source;
    private long payloadPosition;

    void set(
        final long batchId,
        final int table,
        final CharSequence token,
        final int rows,
        final long checksum,
        final DirectBuffer payload,
        final int offset,
        final int length)
    {
        this.batchId = batchId;
        this.table = table;
        this.tokenOut = token;
        this.rows = rows;
        this.checksum = checksum;
        this.payloadOut = payload;
        this.payloadOffset = offset;
        this.payloadLength = length;
    }

    /** Drops the references to the caller's token and payload once the entry is written. */
    void clear()
    {
        tokenOut = null;
        payloadOut = null;
        source = null;
    }

    @Override
    public void writeMarshallable(final BytesOut<?> out)
    {
        out.writeByte(VERSION);
        out.writeLong(batchId);
        out.writeInt(table);
        out.writeInt(rows);
        out.writeLong(checksum);
        out.writeUtf8(tokenOut);
        out.writeInt(payloadLength);
        final byte[] array = payloadOut.byteArray();
        if (null != array)
        {
            out.unsafeWriteObject(array, (int)payloadOut.addressOffset() + payloadOffset, payloadLength);
        }
        else
        {
            out.unsafeWrite(payloadOut.addressOffset() + payloadOffset, payloadLength);
        }
    }

    @Override
    public void readMarshallable(final BytesIn<?> in)
    {
        final byte version = in.readByte();
        if (VERSION != version)
        {
            throw new IllegalStateException("unknown prepared entry version " + version);
        }
        batchId = in.readLong();
        table = in.readInt();
        rows = in.readInt();
        checksum = in.readLong();
        in.readUtf8(token);
        payloadLength = in.readInt();
        if (payloadLength < 0 || payloadLength > in.readRemaining())
        {
            throw new IllegalStateException("prepared entry payload length " + payloadLength + " exceeds the entry");
        }
        source = in;
        payloadPosition = in.readPosition();
        in.readSkip(payloadLength);
    }

    /**
     * Copies the payload of the entry being read into {@code dst} from index 0; valid only while the message is being
     * dispatched.
     *
     * @param dst receives {@link #payloadLength()} bytes; at least that long.
     */
    void copyPayloadTo(final byte[] dst)
    {
        final long saved = source.readPosition();
        source.readPosition(payloadPosition);
        final int read = source.read(dst, 0, payloadLength);
        source.readPosition(saved);
        if (read != payloadLength)
        {
            throw new IllegalStateException("prepared entry payload truncated: " + read + " of " + payloadLength);
        }
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

    /** @return the number of rows in the payload. */
    public int rows()
    {
        return rows;
    }

    /** @return the CRC32C of the payload, as given when the batch was prepared. */
    public long checksum()
    {
        return checksum;
    }

    /** @return the deduplication token of the entry last read; reused for the next one. */
    public CharSequence token()
    {
        return token;
    }

    /** @return the payload length in bytes. */
    public int payloadLength()
    {
        return payloadLength;
    }
}
