package dev.tally.gen;

import dev.tally.codec.WireFormat;

/**
 * Everything that decides the generated stream. Two generators with equal configs produce identical events.
 * Pacing of the sender is not part of it except through {@link #rate()}, which also drives nominal event time.
 */
public final class GenConfig
{
    private long seed = 1;
    private long accounts = 10_000_000L;
    private double zipfS = 1.1;
    private long eventTimeStart = 1_767_225_600_000L;
    private long rate = 50_000;
    private long timeRate = 100_000;
    private double burstFactor = 1.0;
    private long burstEveryMs;
    private long burstLengthMs = 5_000;
    private double lagMeanMs = 50;
    private long outOfOrderSpreadMs = 1_000;
    private double lateFraction = 0.02;
    private long lateMinMs = 3_000;
    private long lateMaxMs = 600_000;
    private double refundFraction = 0.03;
    private double foreignFraction = 0.05;
    private long amountMedian = 2_500;
    private double amountSigma = 1.0;
    private int minSize = 200;
    private int maxSize = 400;
    private double malformedFraction;
    private double jsonFraction;

    /**
     * Check every value; a message names the first bad one.
     *
     * @return this.
     * @throws IllegalArgumentException if a value is out of range.
     */
    public GenConfig validate()
    {
        check(accounts >= 1, "--accounts must be at least 1");
        check(zipfS > 0 && zipfS <= 10, "--zipf-s must be in (0, 10]");
        check(rate >= 0, "--rate must be >= 0");
        check(timeRate > 0, "--time-rate must be > 0");
        check(burstFactor >= 1 && burstFactor <= 100, "--burst-factor must be in [1, 100]");
        check(burstEveryMs >= 0, "--burst-every must be >= 0");
        check(burstEveryMs == 0 || (burstLengthMs > 0 && burstLengthMs < burstEveryMs),
            "--burst-length must be > 0 and shorter than --burst-every");
        check(lagMeanMs >= 0, "--lag-mean must be >= 0");
        check(outOfOrderSpreadMs >= 0, "--out-of-order-spread must be >= 0");
        check(fraction(lateFraction), "--late-fraction must be in [0, 1]");
        check(lateMinMs >= 1 && lateMinMs <= lateMaxMs, "--late-min must be >= 1ms and <= --late-max");
        check(fraction(refundFraction) && refundFraction <= 0.5, "--refund-fraction must be in [0, 0.5]");
        check(fraction(foreignFraction), "--foreign-fraction must be in [0, 1]");
        check(amountMedian >= 1, "--amount-median must be >= 1");
        check(amountSigma >= 0 && amountSigma <= 5, "--amount-sigma must be in [0, 5]");
        check(minSize >= WireFormat.HEADER_LENGTH && minSize <= maxSize,
            "--min-size must be >= " + WireFormat.HEADER_LENGTH + " and <= --max-size");
        check(maxSize <= WireFormat.MAX_VALUE_LENGTH, "--max-size must be <= " + WireFormat.MAX_VALUE_LENGTH);
        check(fraction(malformedFraction), "--malformed-fraction must be in [0, 1]");
        check(fraction(jsonFraction), "--json-fraction must be in [0, 1]");
        return this;
    }

    /** @return the schedule that drives nominal event time (and pacing when the rate is positive). */
    public LoadSchedule schedule()
    {
        return new LoadSchedule(rate > 0 ? rate : timeRate, burstFactor, burstEveryMs, burstLengthMs);
    }

    /**
     * A hash of every setting that shapes events except the seed and the event-time start (which travel on
     * their own): a resumed run must match it, or the events before and after the restart would disagree.
     *
     * @return the fingerprint.
     */
    public long fingerprint()
    {
        final long[] parts =
        {
            accounts, Double.doubleToLongBits(zipfS), rate > 0 ? rate : timeRate, Double.doubleToLongBits(burstFactor),
            burstEveryMs, burstLengthMs, Double.doubleToLongBits(lagMeanMs), outOfOrderSpreadMs,
            Double.doubleToLongBits(lateFraction), lateMinMs, lateMaxMs, Double.doubleToLongBits(refundFraction),
            Double.doubleToLongBits(foreignFraction), amountMedian, Double.doubleToLongBits(amountSigma), minSize,
            maxSize, Double.doubleToLongBits(malformedFraction), Double.doubleToLongBits(jsonFraction)
        };
        long hash = 0x7461_6C6C_79L;
        for (final long part : parts)
        {
            hash = RandomStream.mix(hash ^ part) + RandomStream.GAMMA;
        }
        return hash;
    }

    private static boolean fraction(final double f)
    {
        return f >= 0 && f <= 1;
    }

    private static void check(final boolean ok, final String message)
    {
        if (!ok)
        {
            throw new IllegalArgumentException(message);
        }
    }

    public long seed()
    {
        return seed;
    }

    public GenConfig seed(final long seed)
    {
        this.seed = seed;
        return this;
    }

    public long accounts()
    {
        return accounts;
    }

    public GenConfig accounts(final long accounts)
    {
        this.accounts = accounts;
        return this;
    }

    public double zipfS()
    {
        return zipfS;
    }

    public GenConfig zipfS(final double zipfS)
    {
        this.zipfS = zipfS;
        return this;
    }

    /** @return nominal time of event 0, epoch ms. */
    public long eventTimeStart()
    {
        return eventTimeStart;
    }

    public GenConfig eventTimeStart(final long eventTimeStart)
    {
        this.eventTimeStart = eventTimeStart;
        return this;
    }

    /** @return events per second to send; 0 means unpaced. */
    public long rate()
    {
        return rate;
    }

    public GenConfig rate(final long rate)
    {
        this.rate = rate;
        return this;
    }

    /** @return events per second of event time when {@link #rate()} is 0. */
    public long timeRate()
    {
        return timeRate;
    }

    public GenConfig timeRate(final long timeRate)
    {
        this.timeRate = timeRate;
        return this;
    }

    public double burstFactor()
    {
        return burstFactor;
    }

    public GenConfig burstFactor(final double burstFactor)
    {
        this.burstFactor = burstFactor;
        return this;
    }

    public long burstEveryMs()
    {
        return burstEveryMs;
    }

    public GenConfig burstEveryMs(final long burstEveryMs)
    {
        this.burstEveryMs = burstEveryMs;
        return this;
    }

    public long burstLengthMs()
    {
        return burstLengthMs;
    }

    public GenConfig burstLengthMs(final long burstLengthMs)
    {
        this.burstLengthMs = burstLengthMs;
        return this;
    }

    public double lagMeanMs()
    {
        return lagMeanMs;
    }

    public GenConfig lagMeanMs(final double lagMeanMs)
    {
        this.lagMeanMs = lagMeanMs;
        return this;
    }

    public long outOfOrderSpreadMs()
    {
        return outOfOrderSpreadMs;
    }

    public GenConfig outOfOrderSpreadMs(final long outOfOrderSpreadMs)
    {
        this.outOfOrderSpreadMs = outOfOrderSpreadMs;
        return this;
    }

    public double lateFraction()
    {
        return lateFraction;
    }

    public GenConfig lateFraction(final double lateFraction)
    {
        this.lateFraction = lateFraction;
        return this;
    }

    public long lateMinMs()
    {
        return lateMinMs;
    }

    public GenConfig lateMinMs(final long lateMinMs)
    {
        this.lateMinMs = lateMinMs;
        return this;
    }

    public long lateMaxMs()
    {
        return lateMaxMs;
    }

    public GenConfig lateMaxMs(final long lateMaxMs)
    {
        this.lateMaxMs = lateMaxMs;
        return this;
    }

    public double refundFraction()
    {
        return refundFraction;
    }

    public GenConfig refundFraction(final double refundFraction)
    {
        this.refundFraction = refundFraction;
        return this;
    }

    public double foreignFraction()
    {
        return foreignFraction;
    }

    public GenConfig foreignFraction(final double foreignFraction)
    {
        this.foreignFraction = foreignFraction;
        return this;
    }

    public long amountMedian()
    {
        return amountMedian;
    }

    public GenConfig amountMedian(final long amountMedian)
    {
        this.amountMedian = amountMedian;
        return this;
    }

    public double amountSigma()
    {
        return amountSigma;
    }

    public GenConfig amountSigma(final double amountSigma)
    {
        this.amountSigma = amountSigma;
        return this;
    }

    public int minSize()
    {
        return minSize;
    }

    public GenConfig minSize(final int minSize)
    {
        this.minSize = minSize;
        return this;
    }

    public int maxSize()
    {
        return maxSize;
    }

    public GenConfig maxSize(final int maxSize)
    {
        this.maxSize = maxSize;
        return this;
    }

    public double malformedFraction()
    {
        return malformedFraction;
    }

    public GenConfig malformedFraction(final double malformedFraction)
    {
        this.malformedFraction = malformedFraction;
        return this;
    }

    public double jsonFraction()
    {
        return jsonFraction;
    }

    public GenConfig jsonFraction(final double jsonFraction)
    {
        this.jsonFraction = jsonFraction;
        return this;
    }
}
