package dev.tally.peers.streams;

import dev.tally.codec.Country;

/**
 * The rollup key in Kafka Streams: (account, country). tally keys its rows by source partition as well and lets
 * readers sum over partitions; since the input is partitioned by account, every (account, country) lives in one
 * input partition, so the sums per (window, account, country) are the same either way.
 *
 * @param accountId the account.
 * @param country   the country packed as by {@link Country#pack(int, int)}.
 */
public record AccountCountry(long accountId, int country)
{
    @Override
    public String toString()
    {
        return Long.toUnsignedString(accountId) + "/" + (Country.isValid(country) ? Country.toString(country) : "?");
    }
}
