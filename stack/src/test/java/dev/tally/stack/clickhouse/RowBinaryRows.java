package dev.tally.stack.clickhouse;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;

/**
 * RowBinary rows for the test table {@code (key LowCardinality(String), bucket DateTime, amount Int128,
 * version UInt64)}, encoded by hand: LEB128 string lengths, little-endian integers.
 */
final class RowBinaryRows
{
    static final String COLUMNS = "key LowCardinality(String), bucket DateTime, amount Int128, version UInt64";

    private final ByteArrayOutputStream out = new ByteArrayOutputStream(1 << 20);
    private int rows;

    RowBinaryRows add(final String key, final long bucketEpochSeconds, final BigInteger amount, final long version)
    {
        final byte[] k = key.getBytes(StandardCharsets.UTF_8);
        long length = k.length;
        while (length >= 0x80)
        {
            out.write((int)(length & 0x7F) | 0x80);
            length >>>= 7;
        }
        out.write((int)length);
        out.write(k, 0, k.length);
        writeLittleEndian(bucketEpochSeconds, 4);
        writeLittleEndian(amount.longValue(), 8);
        writeLittleEndian(amount.shiftRight(64).longValue(), 8);
        writeLittleEndian(version, 8);
        rows++;
        return this;
    }

    int rows()
    {
        return rows;
    }

    byte[] bytes()
    {
        return out.toByteArray();
    }

    private void writeLittleEndian(final long value, final int bytes)
    {
        for (int i = 0; i < bytes; i++)
        {
            out.write((int)(value >>> (8 * i)) & 0xFF);
        }
    }
}
