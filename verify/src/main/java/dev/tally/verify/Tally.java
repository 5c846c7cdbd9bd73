package dev.tally.verify;

import java.math.BigInteger;

/**
 * Expected content of one rollup row: how many accepted records and the exact sum of their amounts, plus which read
 * paths have already matched a ClickHouse row to it.
 */
final class Tally
{
    private long count;
    private BigInteger sum = BigInteger.ZERO;
    private int seenBy;

    void add(final long amount)
    {
        count++;
        sum = sum.add(BigInteger.valueOf(amount));
    }

    long count()
    {
        return count;
    }

    BigInteger sum()
    {
        return sum;
    }

    /**
     * Mark this row as seen by a read path.
     *
     * @param path read-path number, 0 to 30.
     * @return false if that path had already seen it (ClickHouse returned the key twice).
     */
    boolean markSeen(final int path)
    {
        final int bit = 1 << path;
        final boolean first = (seenBy & bit) == 0;
        seenBy |= bit;
        return first;
    }

    boolean seenBy(final int path)
    {
        return (seenBy & (1 << path)) != 0;
    }

    @Override
    public String toString()
    {
        return "count=" + Long.toUnsignedString(count) + " sum=" + sum;
    }
}
