package dev.tally.journal;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * Deterministic test payloads: the bytes of batch {@code id} depend only on the id and the length.
 */
final class Payloads
{
    private Payloads()
    {
    }

    static UnsafeBuffer of(final long id, final int length)
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[length]);
        fill(buffer, 0, id, length);
        return buffer;
    }

    static void fill(final UnsafeBuffer buffer, final int offset, final long id, final int length)
    {
        long x = id * 0x9E3779B97F4A7C15L + length;
        for (int i = 0; i < length; i++)
        {
            x ^= x << 13;
            x ^= x >>> 7;
            x ^= x << 17;
            buffer.putByte(offset + i, (byte)x);
        }
    }

    static String token(final long id, final int table, final int rows)
    {
        return "t" + table + ':' + Long.toHexString(id * 0x9E3779B97F4A7C15L) + ':' + rows;
    }

    static int sizeOf(final long id, final int max)
    {
        return 1 + (int)Math.floorMod(id * 7919L * 7919L, (long)max);
    }
}
