package dev.tally.engine.window;

/**
 * Windowing parameters, validated once.
 *
 * @param watermarkDelayMs  how far the watermark trails the largest event time seen (default 2s)
 * @param allowedLatenessMs how long after its end a window still accepts records (default 30s)
 * @param maxFutureSkewMs   how far event_time may lead the Kafka timestamp before the record is "future" (default 1h)
 * @param kindMask          bit mask of {@link WindowKind}s to compute
 * @param generation        0 for live processing; backfills use a newer one so their rows replace older rows
 * @param expectedRows      initial capacity of the row store
 * @param rangeFromMs       a backfill's range start: only windows wholly inside [rangeFromMs, rangeToMs) are folded
 * @param rangeToMs         a backfill's range end ({@link #UNBOUNDED_TO} and {@link #UNBOUNDED_FROM} for live)
 */
public record WindowingConfig(long watermarkDelayMs, long allowedLatenessMs, long maxFutureSkewMs, int kindMask,
    int generation, int expectedRows, long rangeFromMs, long rangeToMs)
{
    public static final long DEFAULT_WATERMARK_DELAY_MS = 2_000;
    public static final long DEFAULT_ALLOWED_LATENESS_MS = 30_000;
    public static final long DEFAULT_MAX_FUTURE_SKEW_MS = 3_600_000;
    public static final long UNBOUNDED_FROM = Long.MIN_VALUE;
    public static final long UNBOUNDED_TO = Long.MAX_VALUE;

    /** Live processing: every window. */
    public WindowingConfig(final long watermarkDelayMs, final long allowedLatenessMs, final long maxFutureSkewMs,
        final int kindMask, final int generation, final int expectedRows)
    {
        this(watermarkDelayMs, allowedLatenessMs, maxFutureSkewMs, kindMask, generation, expectedRows,
            UNBOUNDED_FROM, UNBOUNDED_TO);
    }

    public WindowingConfig
    {
        if (rangeFromMs >= rangeToMs)
        {
            throw new IllegalArgumentException("the range must end after it starts");
        }
        if (bounded(rangeFromMs, rangeToMs) && generation == 0)
        {
            throw new IllegalArgumentException("a backfill range needs a generation > 0");
        }
        if (watermarkDelayMs < 0 || allowedLatenessMs < 0 || maxFutureSkewMs < 0)
        {
            throw new IllegalArgumentException("watermark delay, allowed lateness and max future skew must be >= 0");
        }
        if (kindMask == 0 || (kindMask & ~((1 << WindowKind.COUNT) - 1)) != 0)
        {
            throw new IllegalArgumentException("window kinds must be minute, hour or both");
        }
        if (generation < 0 || generation >= (1 << 15))
        {
            throw new IllegalArgumentException("generation must be in [0, 32767], not " + generation);
        }
    }

    /**
     * True for a backfill: only windows wholly inside the range are folded, rows are emitted once, when their
     * window closes (never a partial row), and nothing outside the range reaches the side output.
     */
    public boolean backfill()
    {
        return bounded(rangeFromMs, rangeToMs);
    }

    /** This configuration for a backfill of the windows wholly inside [fromMs, toMs) under {@code generation}. */
    public WindowingConfig withRange(final long fromMs, final long toMs, final int generation)
    {
        return new WindowingConfig(watermarkDelayMs, allowedLatenessMs, maxFutureSkewMs, kindMask, generation,
            expectedRows, fromMs, toMs);
    }

    private static boolean bounded(final long fromMs, final long toMs)
    {
        return fromMs != UNBOUNDED_FROM || toMs != UNBOUNDED_TO;
    }

    public static WindowingConfig defaults()
    {
        return new WindowingConfig(DEFAULT_WATERMARK_DELAY_MS, DEFAULT_ALLOWED_LATENESS_MS, DEFAULT_MAX_FUTURE_SKEW_MS,
            WindowKind.mask("both"), 0, 1 << 16);
    }
}
