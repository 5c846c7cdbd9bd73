package dev.tally.peers.streams;

import dev.tally.codec.MutableEvent;

/**
 * One decoded event as the Streams topology carries it: the fields the rollup needs, plus the record's Kafka
 * timestamp, which {@link EventTimeExtractor} notes here because inside the topology a record's timestamp is its
 * event time (the Kafka timestamp is needed only for the end-to-end latency measurement).
 */
public final class Event
{
    private final long accountId;
    private final int country;
    private final long eventTime;
    private final long amount;
    private long kafkaTimestamp = -1;

    /**
     * @param accountId the account.
     * @param country   the country packed as by {@link dev.tally.codec.Country#pack(int, int)}.
     * @param eventTime epoch ms.
     * @param amount    minor units.
     */
    public Event(final long accountId, final int country, final long eventTime, final long amount)
    {
        this.accountId = accountId;
        this.country = country;
        this.eventTime = eventTime;
        this.amount = amount;
    }

    /**
     * @param event fields of a decoded value.
     * @return a copy of what the rollup needs.
     */
    public static Event of(final MutableEvent event)
    {
        return new Event(event.accountId(), event.country(), event.eventTime(), event.amount());
    }

    public long accountId()
    {
        return accountId;
    }

    public int country()
    {
        return country;
    }

    public long eventTime()
    {
        return eventTime;
    }

    public long amount()
    {
        return amount;
    }

    /** @return the Kafka timestamp of the record this came from, or -1 if none was noted. */
    public long kafkaTimestamp()
    {
        return kafkaTimestamp;
    }

    void kafkaTimestamp(final long kafkaTimestamp)
    {
        this.kafkaTimestamp = kafkaTimestamp;
    }
}
