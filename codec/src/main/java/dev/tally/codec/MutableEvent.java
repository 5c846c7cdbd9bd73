package dev.tally.codec;

/**
 * A reusable holder of one event's fields, filled by the decoders and the generator; never allocated per event.
 * Invariant (when filled by a decoder with result OK): kind valid, country valid, payloadLength 0..65535.
 */
public final class MutableEvent
{
    private long eventIdHi;
    private long eventIdLo;
    private long accountId;
    private long eventTime;
    private long amount;
    private int kind;
    private int country;
    private int payloadLength;

    public long eventIdHi()
    {
        return eventIdHi;
    }

    public long eventIdLo()
    {
        return eventIdLo;
    }

    public long accountId()
    {
        return accountId;
    }

    /** @return event time, epoch milliseconds UTC. */
    public long eventTime()
    {
        return eventTime;
    }

    /** @return amount in minor units, negative for refunds. */
    public long amount()
    {
        return amount;
    }

    /** @return one of the {@link EventKind} constants. */
    public int kind()
    {
        return kind;
    }

    /** @return the country packed as by {@link Country#pack(int, int)}. */
    public int country()
    {
        return country;
    }

    /** @return payload bytes of a binary value (zero for JSON). */
    public int payloadLength()
    {
        return payloadLength;
    }

    public MutableEvent eventId(final long hi, final long lo)
    {
        this.eventIdHi = hi;
        this.eventIdLo = lo;
        return this;
    }

    public MutableEvent accountId(final long accountId)
    {
        this.accountId = accountId;
        return this;
    }

    public MutableEvent eventTime(final long eventTime)
    {
        this.eventTime = eventTime;
        return this;
    }

    public MutableEvent amount(final long amount)
    {
        this.amount = amount;
        return this;
    }

    public MutableEvent kind(final int kind)
    {
        this.kind = kind;
        return this;
    }

    public MutableEvent country(final int country)
    {
        this.country = country;
        return this;
    }

    public MutableEvent payloadLength(final int payloadLength)
    {
        this.payloadLength = payloadLength;
        return this;
    }

    /**
     * Copy every field of another event.
     *
     * @param other source.
     * @return this.
     */
    public MutableEvent set(final MutableEvent other)
    {
        eventIdHi = other.eventIdHi;
        eventIdLo = other.eventIdLo;
        accountId = other.accountId;
        eventTime = other.eventTime;
        amount = other.amount;
        kind = other.kind;
        country = other.country;
        payloadLength = other.payloadLength;
        return this;
    }

    /** Reset every field to zero. */
    public void clear()
    {
        eventIdHi = 0;
        eventIdLo = 0;
        accountId = 0;
        eventTime = 0;
        amount = 0;
        kind = 0;
        country = 0;
        payloadLength = 0;
    }

    /**
     * Do the event fields (everything but the payload length) match?
     *
     * @param other the other event.
     * @return true if id, account, time, amount, kind and country are equal.
     */
    public boolean sameEvent(final MutableEvent other)
    {
        return eventIdHi == other.eventIdHi && eventIdLo == other.eventIdLo && accountId == other.accountId &&
            eventTime == other.eventTime && amount == other.amount && kind == other.kind && country == other.country;
    }

    @Override
    public boolean equals(final Object o)
    {
        return o instanceof MutableEvent other && sameEvent(other) && payloadLength == other.payloadLength;
    }

    @Override
    public int hashCode()
    {
        return Long.hashCode(eventIdHi ^ eventIdLo) * 31 + Long.hashCode(accountId ^ eventTime ^ amount);
    }

    @Override
    public String toString()
    {
        return "MutableEvent{eventId=" + new java.util.UUID(eventIdHi, eventIdLo) +
            ", accountId=" + Long.toUnsignedString(accountId) +
            ", country=" + (Country.isValid(country) ? Country.toString(country) : Integer.toHexString(country)) +
            ", eventTime=" + eventTime + ", amount=" + amount +
            ", kind=" + kind + ", payloadLength=" + payloadLength + '}';
    }
}
