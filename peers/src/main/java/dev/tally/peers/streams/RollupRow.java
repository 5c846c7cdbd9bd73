package dev.tally.peers.streams;

import dev.tally.codec.Country;

/**
 * One row the Streams rollup writes to its output topic: the current aggregate of a window kind, window and
 * (account, country). Like tally's rows these are updates: a row is written again each time its window's aggregate
 * has changed and the record cache is flushed (at every commit), and a reader keeps the last one per key.
 *
 * @param kind        {@link #MINUTE} or {@link #HOUR}.
 * @param windowStart epoch ms, inclusive.
 * @param accountId   the account.
 * @param country     the country packed as by {@link Country#pack(int, int)}.
 * @param count       events in the window.
 * @param sum         sum of their amounts.
 */
public record RollupRow(int kind, long windowStart, long accountId, int country, long count, long sum)
{
    /** Window kind: one minute. */
    public static final int MINUTE = 0;

    /** Window kind: one hour. */
    public static final int HOUR = 1;

    @Override
    public String toString()
    {
        return (kind == MINUTE ? "minute" : "hour") + " " + java.time.Instant.ofEpochMilli(windowStart) + " " +
            Long.toUnsignedString(accountId) + "/" + (Country.isValid(country) ? Country.toString(country) : "?") +
            " count=" + count + " sum=" + sum;
    }
}
