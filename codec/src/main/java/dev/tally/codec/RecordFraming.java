package dev.tally.codec;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * The parts of a Kafka record around the value: the key ({@code account_id}, 8 bytes big-endian, as Kafka's
 * {@code LongSerializer} writes it) and the headers the generator adds. Both big-endian, unlike the value.
 */
public final class RecordFraming
{
    /** Length of the record key. */
    public static final int KEY_LENGTH = 8;

    /** Header carrying the generator's event index, 8 bytes big-endian. */
    public static final String INDEX_HEADER = "tally.idx";

    /** Length of the {@link #INDEX_HEADER} value. */
    public static final int INDEX_HEADER_LENGTH = 8;

    /**
     * Header carrying the generator run: seed, event-time start (epoch ms) and a fingerprint of the other settings
     * that shape events, 8 bytes big-endian each.
     */
    public static final String RUN_HEADER = "tally.run";

    /** Length of the {@link #RUN_HEADER} value. */
    public static final int RUN_HEADER_LENGTH = 24;

    private RecordFraming()
    {
    }

    /**
     * Write a big-endian long into a buffer, e.g. the key or the index header.
     *
     * @param buffer destination.
     * @param offset where to write.
     * @param value  the value.
     */
    public static void putLongBigEndian(final MutableDirectBuffer buffer, final int offset, final long value)
    {
        buffer.putLong(offset, value, ByteOrder.BIG_ENDIAN);
    }

    /**
     * Write a big-endian long into an array, e.g. a key or header value handed to Kafka.
     *
     * @param dst    destination.
     * @param offset where to write.
     * @param value  the value.
     */
    public static void putLongBigEndian(final byte[] dst, final int offset, final long value)
    {
        for (int i = 0; i < 8; i++)
        {
            dst[offset + i] = (byte)(value >>> (56 - 8 * i));
        }
    }

    /**
     * Read a big-endian long from an array.
     *
     * @param src    source.
     * @param offset where to read.
     * @return the value.
     */
    public static long getLongBigEndian(final byte[] src, final int offset)
    {
        long value = 0;
        for (int i = 0; i < 8; i++)
        {
            value = (value << 8) | (src[offset + i] & 0xFFL);
        }
        return value;
    }

    /**
     * Is this key well formed (exactly 8 bytes)?
     *
     * @param key key bytes, possibly null.
     * @return true if it carries an account id.
     */
    public static boolean isValidKey(final byte[] key)
    {
        return key != null && key.length == KEY_LENGTH;
    }

    /**
     * The account id of an 8-byte key.
     *
     * @param key    buffer holding the key.
     * @param offset where the key starts.
     * @return the account id.
     */
    public static long accountId(final DirectBuffer key, final int offset)
    {
        return key.getLong(offset, ByteOrder.BIG_ENDIAN);
    }
}
