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
 */
public record WindowingConfig(long watermarkDelayMs, long allowedLatenessMs, long maxFutureSkewMs, int kindMask,
    int generation, int expectedRows)
{
    public static final long DEFAULT_WATERMARK_DELAY_MS = 2_000;
    public static final long DEFAULT_ALLOWED_LATENESS_MS = 30_000;
    public static final long DEFAULT_MAX_FUTURE_SKEW_MS = 3_600_000;

    public WindowingConfig
    {
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

    public static WindowingConfig defaults()
    {
        return new WindowingConfig(DEFAULT_WATERMARK_DELAY_MS, DEFAULT_ALLOWED_LATENESS_MS, DEFAULT_MAX_FUTURE_SKEW_MS,
            WindowKind.mask("both"), 0, 1 << 16);
    }
}
