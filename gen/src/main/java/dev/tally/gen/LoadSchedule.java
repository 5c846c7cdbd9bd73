package dev.tally.gen;

/**
 * When event {@code i} is due, for an open-model load: a base rate, and optionally a burst at
 * {@code factor x rate} for the first {@code burstLength} of every {@code burstEvery} period. The schedule is a
 * pure function of the index, so the same function gives both the sender's pacing (a token bucket whose tokens
 * accrue at the scheduled rate and are never discarded) and the nominal event times.
 * Invariant: {@code offsetNanos} is non-decreasing in the index and {@code dueCount(offsetNanos(i)) > i}.
 */
public final class LoadSchedule
{
    private static final long NANOS_PER_SECOND = 1_000_000_000L;

    private final long periodNanos;
    private final long burstNanos;
    private final long burstEvents;
    private final long normalEvents;
    private final long periodEvents;

    /**
     * @param rate        base events per second, positive.
     * @param burstFactor rate multiplier during a burst, at least 1.
     * @param burstEveryMs period of bursts in ms; 0 for no bursts.
     * @param burstLengthMs length of each burst in ms, less than the period.
     */
    public LoadSchedule(final long rate, final double burstFactor, final long burstEveryMs, final long burstLengthMs)
    {
        if (rate <= 0 || burstFactor < 1.0 || burstEveryMs < 0 ||
            (burstEveryMs > 0 && (burstLengthMs <= 0 || burstLengthMs >= burstEveryMs)))
        {
            throw new IllegalArgumentException("bad schedule: rate=" + rate + " burstFactor=" + burstFactor +
                " burstEveryMs=" + burstEveryMs + " burstLengthMs=" + burstLengthMs);
        }
        if (burstEveryMs == 0 || burstFactor == 1.0)
        {
            periodNanos = NANOS_PER_SECOND;
            burstNanos = 0;
            burstEvents = 0;
            normalEvents = rate;
        }
        else
        {
            periodNanos = burstEveryMs * 1_000_000L;
            burstNanos = burstLengthMs * 1_000_000L;
            burstEvents = Math.max(1, (long)(rate * burstFactor * burstLengthMs / 1000.0));
            normalEvents = Math.max(1, (long)(rate * (burstEveryMs - burstLengthMs) / 1000.0));
        }
        periodEvents = burstEvents + normalEvents;
    }

    /**
     * When event {@code index} is due, relative to the start of the schedule.
     *
     * @param index event index, non-negative.
     * @return nanoseconds after the start.
     */
    public long offsetNanos(final long index)
    {
        final long period = index / periodEvents;
        final long j = index - period * periodEvents;
        final long within;
        if (j < burstEvents)
        {
            within = (long)((double)j * burstNanos / burstEvents);
        }
        else
        {
            within = burstNanos + (long)((double)(j - burstEvents) * (periodNanos - burstNanos) / normalEvents);
        }
        return period * periodNanos + within;
    }

    /**
     * How many events are due at a moment: the number of indices whose offset is at most {@code elapsedNanos}.
     *
     * @param elapsedNanos nanoseconds since the start, non-negative.
     * @return count of due events.
     */
    public long dueCount(final long elapsedNanos)
    {
        final long period = elapsedNanos / periodNanos;
        final long rem = elapsedNanos - period * periodNanos;
        long count = period * periodEvents;
        if (rem < burstNanos)
        {
            count += (long)((double)rem * burstEvents / burstNanos) + 1;
        }
        else
        {
            count += burstEvents + (long)((double)(rem - burstNanos) * normalEvents / (periodNanos - burstNanos)) + 1;
        }
        while (count > 0 && offsetNanos(count - 1) > elapsedNanos)
        {
            count--;
        }
        while (offsetNanos(count) <= elapsedNanos)
        {
            count++;
        }
        return count;
    }

    /** @return events per period (one second when there are no bursts). */
    public long periodEvents()
    {
        return periodEvents;
    }

    /** @return length of a period in nanoseconds. */
    public long periodNanos()
    {
        return periodNanos;
    }
}
