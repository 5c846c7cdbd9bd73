package dev.tally.verify;

import java.time.Instant;

/**
 * One rollup row as readers see it: kind, window start and {@code (account_id, country)}, summed over source
 * partitions.
 *
 * @param kind           {@link WindowRules#MINUTE} or {@link WindowRules#HOUR}.
 * @param windowStartSec window start, seconds since the epoch (UTC).
 * @param accountId      account, an unsigned 64-bit value.
 * @param country        ISO 3166-1 alpha-2 code.
 */
record RowKey(int kind, long windowStartSec, long accountId, String country)
{
    /** @return {@code minute} or {@code hour}. */
    static String kindName(final int kind)
    {
        return kind == WindowRules.MINUTE ? "minute" : "hour";
    }

    @Override
    public String toString()
    {
        return kindName(kind) + " " + Instant.ofEpochSecond(windowStartSec) + " account=" +
            Long.toUnsignedString(accountId) + " country=" + country;
    }
}
