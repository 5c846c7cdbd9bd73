package dev.tally.engine.sink;

import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;

import dev.tally.engine.window.SideOutputSink;
import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Encodes side-output rows in ClickHouse's RowBinary format for the {@code late_events} table, column by column in
 * table order, little-endian throughout:
 * <pre>
 *   source_partition  UInt16                   u16
 *   offset            UInt64                   u64
 *   window_kind       Int8                     i8   -1 none, 0 minute, 1 hour
 *   reason            LowCardinality(String)   varint length + 'malformed' | 'future' | 'late'
 *   event_time        DateTime64(3, 'UTC')     i64  milliseconds since the epoch, 0 when malformed
 *   account_id        UInt64                   u64  0 when malformed
 *   country           LowCardinality(String)   varint length (0 or 2) + ASCII bytes, '' when malformed
 *   amount            Int64                    i64
 *   raw               String                   varint length + the record value's bytes
 *   detected_at       DateTime64(3, 'UTC')     i64  milliseconds since the epoch
 * </pre>
 * Lengths are unsigned LEB128 varints. Writes into a caller-owned buffer that must already hold
 * {@link #length(int, int)} bytes from the offset; allocates nothing.
 */
public final class LateEventEncoder
{
    /** Bytes of a row besides the reason name, the country and the raw bytes (and their length prefixes). */
    private static final int FIXED_LENGTH = 2 + 8 + 1 + 8 + 8 + 8 + 8;

    /** Reason names indexed by {@link SideOutputSink} reason code; null where no reason has that code. */
    private static final byte[][] REASON_NAMES = {
        null,
        "malformed".getBytes(StandardCharsets.US_ASCII),
        "future".getBytes(StandardCharsets.US_ASCII),
        "late".getBytes(StandardCharsets.US_ASCII),
    };

    private LateEventEncoder()
    {
    }

    /**
     * Bytes {@link #encode} writes for a row with {@code rawLength} raw bytes and {@code reason}: exact when a
     * non-malformed row has a country, as every decoded record does; otherwise 2 bytes more than written.
     */
    public static int length(final int rawLength, final int reason)
    {
        final int countryLength = reason == SideOutputSink.MALFORMED ? 0 : 2;
        return FIXED_LENGTH + 1 + reasonName(reason).length + 1 + countryLength + varIntLength(rawLength) + rawLength;
    }

    /**
     * Writes one row at {@code offset}; returns the offset after it.
     *
     * @param country packed 2 ASCII bytes, high byte first; 0 (and any country of a malformed row) is written as ''
     * @param raw     the record's value bytes; may be null when {@code rawLength} is 0
     */
    public static int encode(final MutableDirectBuffer buf, final int offset, final int partition,
        final long kafkaOffset, final int windowKind, final int reason, final long eventTimeMs, final long accountId,
        final int country, final long amount, final DirectBuffer raw, final int rawOffset, final int rawLength,
        final long detectedAtMs)
    {
        if (rawLength < 0)
        {
            throw new IllegalArgumentException("raw length must be >= 0, not " + rawLength);
        }
        final byte[] reasonName = reasonName(reason);
        int i = offset;
        buf.putShort(i, (short)partition, ByteOrder.LITTLE_ENDIAN);
        i += 2;
        buf.putLong(i, kafkaOffset, ByteOrder.LITTLE_ENDIAN);
        i += 8;
        buf.putByte(i, (byte)windowKind);
        i += 1;
        buf.putByte(i, (byte)reasonName.length);
        buf.putBytes(i + 1, reasonName);
        i += 1 + reasonName.length;
        buf.putLong(i, eventTimeMs, ByteOrder.LITTLE_ENDIAN);
        i += 8;
        buf.putLong(i, accountId, ByteOrder.LITTLE_ENDIAN);
        i += 8;
        if (country == 0 || reason == SideOutputSink.MALFORMED)
        {
            buf.putByte(i, (byte)0);
            i += 1;
        }
        else
        {
            buf.putByte(i, (byte)2);
            buf.putByte(i + 1, (byte)(country >>> 8));
            buf.putByte(i + 2, (byte)country);
            i += 3;
        }
        buf.putLong(i, amount, ByteOrder.LITTLE_ENDIAN);
        i += 8;
        i = putVarInt(buf, i, rawLength);
        if (rawLength > 0)
        {
            buf.putBytes(i, raw, rawOffset, rawLength);
            i += rawLength;
        }
        buf.putLong(i, detectedAtMs, ByteOrder.LITTLE_ENDIAN);
        return i + 8;
    }

    /** Bytes of the unsigned LEB128 encoding of {@code value} (treated as unsigned 32-bit). */
    static int varIntLength(final int value)
    {
        // 7 payload bits per byte: 1 byte up to 0x7F, 5 bytes for anything with bit 28 or above set.
        final int bits = 32 - Integer.numberOfLeadingZeros(value | 1);
        return (bits + 6) / 7;
    }

    private static int putVarInt(final MutableDirectBuffer buf, final int offset, final int value)
    {
        int i = offset;
        int v = value;
        while ((v & ~0x7F) != 0)
        {
            buf.putByte(i++, (byte)((v & 0x7F) | 0x80));
            v >>>= 7;
        }
        buf.putByte(i++, (byte)v);
        return i;
    }

    private static byte[] reasonName(final int reason)
    {
        if (reason <= 0 || reason >= REASON_NAMES.length)
        {
            throw new IllegalArgumentException("no side-output reason " + reason);
        }
        return REASON_NAMES[reason];
    }
}
