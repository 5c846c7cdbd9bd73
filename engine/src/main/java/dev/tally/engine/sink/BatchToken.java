package dev.tally.engine.sink;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;

/**
 * The {@code insert_deduplication_token} of a batch: {@code <table>:<128-bit body hash as 32 hex digits>:<rows>}.
 * It depends only on the batch's table, bytes and row count, so re-sending the same batch (after a lost ack, or
 * after a restart that re-encodes identical rows) carries the same token and ClickHouse skips it.
 * <p>
 * The 128 bits are two 64-bit hashes over the same 8-byte little-endian words, each with its own multipliers and
 * rotations, cross-mixed at the end; deterministic across JVMs and platforms. Not a cryptographic hash.
 */
public final class BatchToken
{
    private static final long M1 = 0x87C37B91114253D5L;
    private static final long M2 = 0x4CF5AD432745937FL;
    private static final long M3 = 0x9E3779B97F4A7C15L;
    private static final long M4 = 0xC2B2AE3D27D4EB4FL;
    private static final long SEED1 = 0x243F6A8885A308D3L;
    private static final long SEED2 = 0x13198A2E03707344L;
    private static final char[] HEX = "0123456789abcdef".toCharArray();

    private BatchToken()
    {
    }

    /** The token of {@code batch}; allocates one small String. */
    public static String of(final Batch batch)
    {
        return of(Batch.tableName(batch.table()), batch.body(), batch.length(), batch.rows());
    }

    /** The token of {@code rows} rows in bytes [0, length) of {@code body} for {@code table}. */
    public static String of(final String table, final DirectBuffer body, final int length, final int rows)
    {
        long h1 = SEED1 ^ length;
        long h2 = SEED2 ^ ((long)rows << 32);
        final int words = length & ~7;
        for (int i = 0; i < words; i += 8)
        {
            final long k = body.getLong(i, ByteOrder.LITTLE_ENDIAN);
            h1 ^= Long.rotateLeft(k * M1, 31) * M2;
            h1 = Long.rotateLeft(h1, 27) * 5 + 0x52DCE729L;
            h2 ^= Long.rotateLeft(k * M3, 33) * M4;
            h2 = Long.rotateLeft(h2, 29) * 9 + 0x38495AB5L;
        }
        long tail = 0;
        for (int i = length - 1; i >= words; i--)
        {
            tail = (tail << 8) | (body.getByte(i) & 0xFFL);
        }
        h1 ^= Long.rotateLeft(tail * M1, 31) * M2;
        h2 ^= Long.rotateLeft(tail * M3, 33) * M4;
        h1 += h2;
        h2 += h1;
        h1 = finish(h1);
        h2 = finish(h2);
        h1 += h2;
        h2 += h1;

        final char[] hex = new char[32];
        putHex(hex, 0, h1);
        putHex(hex, 16, h2);
        return table + ':' + new String(hex) + ':' + rows;
    }

    private static long finish(final long h)
    {
        long x = h;
        x ^= x >>> 33;
        x *= 0xFF51AFD7ED558CCDL;
        x ^= x >>> 33;
        x *= 0xC4CEB9FE1A85EC53L;
        x ^= x >>> 33;
        return x;
    }

    private static void putHex(final char[] dst, final int at, final long value)
    {
        for (int i = 0; i < 16; i++)
        {
            dst[at + i] = HEX[(int)(value >>> (60 - 4 * i)) & 0xF];
        }
    }
}
