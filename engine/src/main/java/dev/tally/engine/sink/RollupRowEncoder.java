package dev.tally.engine.sink;

import java.nio.ByteOrder;

import org.agrona.MutableDirectBuffer;

/**
 * Encodes rollup rows in ClickHouse's RowBinary format for the {@code rollup_minute} / {@code rollup_hour} tables,
 * column by column in table order, little-endian throughout:
 * <pre>
 *   window_start      DateTime('UTC')          u32  seconds since the epoch
 *   account_id        UInt64                   u64
 *   country           LowCardinality(String)   varint length (= 2) + 2 ASCII bytes (LowCardinality is plain String in RowBinary)
 *   source_partition  UInt16                   u16
 *   event_count       UInt64                   u64
 *   sum_amount        Int128                   u64 low half, then i64 high half
 *   version           UInt64                   u64
 *   batch_id          UInt64                   u64
 *   emitted_at        DateTime64(3, 'UTC')     i64  milliseconds since the epoch
 * </pre>
 * Every row is {@link #ROW_LENGTH} bytes. Writes into a caller-owned buffer; allocates nothing.
 */
public final class RollupRowEncoder
{
    public static final int ROW_LENGTH = 4 + 8 + 1 + 2 + 2 + 8 + 16 + 8 + 8 + 8;

    private RollupRowEncoder()
    {
    }

    /** Writes one row at {@code offset}; returns the offset after it. */
    public static int encode(final MutableDirectBuffer buffer, final int offset, final long windowStartMs,
        final long accountId, final int country, final int partition, final long count, final long sumLo,
        final long sumHi, final long version, final long batchId, final long emittedAtMs)
    {
        int i = offset;
        buffer.putInt(i, (int)Math.floorDiv(windowStartMs, 1000L), ByteOrder.LITTLE_ENDIAN);
        i += 4;
        buffer.putLong(i, accountId, ByteOrder.LITTLE_ENDIAN);
        i += 8;
        buffer.putByte(i, (byte)2);
        buffer.putByte(i + 1, (byte)(country >>> 8));
        buffer.putByte(i + 2, (byte)country);
        i += 3;
        buffer.putShort(i, (short)partition, ByteOrder.LITTLE_ENDIAN);
        i += 2;
        buffer.putLong(i, count, ByteOrder.LITTLE_ENDIAN);
        i += 8;
        buffer.putLong(i, sumLo, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(i + 8, sumHi, ByteOrder.LITTLE_ENDIAN);
        i += 16;
        buffer.putLong(i, version, ByteOrder.LITTLE_ENDIAN);
        i += 8;
        buffer.putLong(i, batchId, ByteOrder.LITTLE_ENDIAN);
        i += 8;
        buffer.putLong(i, emittedAtMs, ByteOrder.LITTLE_ENDIAN);
        return i + 8;
    }
}
