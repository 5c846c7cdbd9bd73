package dev.tally.engine.window;

/** The two tumbling window kinds, aligned to the UTC epoch. Kinds are small ints so state can hold them in bits. */
public final class WindowKind
{
    public static final int MINUTE = 0;
    public static final int HOUR = 1;
    public static final int COUNT = 2;

    private static final long[] SIZE_MS = {60_000L, 3_600_000L};
    private static final String[] NAMES = {"minute", "hour"};

    private WindowKind()
    {
    }

    public static long sizeMs(final int kind)
    {
        return SIZE_MS[kind];
    }

    /** Start of the window of {@code kind} holding {@code eventTimeMs}; floors towards -inf for times before 1970. */
    public static long start(final int kind, final long eventTimeMs)
    {
        return Math.floorDiv(eventTimeMs, SIZE_MS[kind]) * SIZE_MS[kind];
    }

    public static String name(final int kind)
    {
        return NAMES[kind];
    }

    /** Bit mask of kinds from {@code minute|hour|both}. */
    public static int mask(final String option)
    {
        return switch (option)
        {
            case "minute" -> 1 << MINUTE;
            case "hour" -> 1 << HOUR;
            case "both" -> (1 << MINUTE) | (1 << HOUR);
            default -> throw new IllegalArgumentException("--window must be minute, hour or both, not " + option);
        };
    }
}
