package dev.tally.verify;

import java.math.BigInteger;

/**
 * The windowing rules of docs/windowing.md, written out again from the document with arbitrary-precision
 * arithmetic so that no sum or bound can overflow: window of an event time, the future test and the acceptance
 * test. Times are epoch milliseconds.
 *
 * @param delayMs    watermark delay.
 * @param latenessMs allowed lateness.
 * @param skewMs     max future skew.
 * @param minute     whether minute windows are computed.
 * @param hour       whether hour windows are computed.
 */
record WindowRules(long delayMs, long latenessMs, long skewMs, boolean minute, boolean hour)
{
    /** Window kind of minute rows and late entries. */
    static final int MINUTE = 0;

    /** Window kind of hour rows and late entries. */
    static final int HOUR = 1;

    /** Window kind of side-output entries that belong to no window (malformed, future). */
    static final int NONE = -1;

    private static final long[] SIZE_MS = {60_000L, 3_600_000L};

    WindowRules
    {
        if (delayMs < 0 || latenessMs < 0 || skewMs < 0)
        {
            throw new IllegalArgumentException(
                "--watermark-delay, --allowed-lateness and --max-future-skew must be zero or positive");
        }
        if (!minute && !hour)
        {
            throw new IllegalArgumentException("--window must be minute, hour or both");
        }
    }

    /** @return whether {@code kind} is computed under this configuration. */
    boolean computes(final int kind)
    {
        return kind == MINUTE ? minute : hour;
    }

    /** @return {@code kafka_timestamp >= 0 and event_time > kafka_timestamp + max_future_skew}. */
    boolean isFuture(final long kafkaTimestamp, final long eventTime)
    {
        return kafkaTimestamp >= 0 &&
            big(eventTime).compareTo(big(kafkaTimestamp).add(big(skewMs))) > 0;
    }

    /** @return the start of the window of {@code kind} holding {@code eventTime}, in seconds since the epoch. */
    static long windowStartSeconds(final int kind, final long eventTime)
    {
        return Math.floorDiv(eventTime, SIZE_MS[kind]) * (SIZE_MS[kind] / 1000);
    }

    /**
     * The acceptance test: with {@code maxEventTime} the largest event time of the well-formed, non-future records
     * before this one in its partition (null if there is none), accepted iff there is no watermark yet or
     * {@code maxEventTime - delay < window_end + lateness}.
     *
     * @return true if accepted for {@code kind}, false if late.
     */
    boolean accepted(final Long maxEventTime, final int kind, final long eventTime)
    {
        if (maxEventTime == null)
        {
            return true;
        }
        final BigInteger size = big(SIZE_MS[kind]);
        final BigInteger start = big(eventTime).subtract(big(eventTime).mod(size));
        final BigInteger watermark = big(maxEventTime).subtract(big(delayMs));
        return watermark.compareTo(start.add(size).add(big(latenessMs))) < 0;
    }

    /**
     * Whether the watermark had already passed the end of the record's window when it came: for an accepted record,
     * late but within the allowed lateness, so folded into its window by a corrected row with a higher version.
     *
     * @return true if {@code maxEventTime - delay >= window_end}.
     */
    boolean afterClose(final Long maxEventTime, final int kind, final long eventTime)
    {
        if (maxEventTime == null)
        {
            return false;
        }
        final BigInteger size = big(SIZE_MS[kind]);
        final BigInteger start = big(eventTime).subtract(big(eventTime).mod(size));
        return big(maxEventTime).subtract(big(delayMs)).compareTo(start.add(size)) >= 0;
    }

    private static BigInteger big(final long value)
    {
        return BigInteger.valueOf(value);
    }
}
