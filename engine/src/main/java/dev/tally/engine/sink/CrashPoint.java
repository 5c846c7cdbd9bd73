package dev.tally.engine.sink;

import java.util.Locale;

/**
 * Deterministic crash points of the commit protocol, for tests only: {@code ./tally run --crash-at POINT[:N]} halts
 * the JVM ({@link Runtime#halt}, so no shutdown hook, no flush, no close: as close to {@code kill -9} as a process
 * can do to itself) the N-th time (default 1) the writer reaches POINT. The flag is refused unless the environment
 * has {@value #ENABLE_VARIABLE}{@code =1}, so a production engine cannot be started with one by accident.
 * <p>
 * Counting happens on the writer thread only; a disarmed point costs one field comparison per batch.
 */
public enum CrashPoint
{
    /** The batch is in the journal; no byte of it has been sent. */
    AFTER_PREPARE("after-prepare"),
    /** Half of the insert body has been handed to the HTTP client; the rest never will be. */
    MID_INSERT("mid-insert"),
    /** ClickHouse acknowledged the insert; the journal does not know yet. */
    AFTER_INSERT("after-insert"),
    /** The journal has the acknowledgement of a batch carrying a checkpoint; Kafka offsets are not committed yet. */
    AFTER_JOURNAL_ACK("after-journal-ack"),
    /** Recovery re-sent a pending batch and ClickHouse acknowledged it; the journal does not know yet. */
    DURING_RECOVERY("during-recovery");

    /** The environment variable that must be 1 for {@code --crash-at} to be accepted. */
    public static final String ENABLE_VARIABLE = "TALLY_TEST_CRASH_POINTS";

    /** The exit status of a halted engine, so tests can tell a crash point from a failure. */
    public static final int EXIT_STATUS = 86;

    private static CrashPoint armed;
    private static long remaining;

    private final String flag;

    CrashPoint(final String flag)
    {
        this.flag = flag;
    }

    /** The name used on the command line. */
    public String flag()
    {
        return flag;
    }

    /**
     * Parses {@code POINT[:N]}.
     *
     * @throws IllegalArgumentException naming the accepted points
     */
    public static CrashPoint parse(final String spec)
    {
        final String name = spec.contains(":") ? spec.substring(0, spec.indexOf(':')) : spec;
        for (final CrashPoint p : values())
        {
            if (p.flag.equals(name.toLowerCase(Locale.ROOT)))
            {
                return p;
            }
        }
        throw new IllegalArgumentException("--crash-at must be one of after-prepare, mid-insert, after-insert, " +
            "after-journal-ack, during-recovery (optionally :N), not " + spec);
    }

    /** The N of {@code POINT[:N]}, 1 when absent. */
    public static long occurrence(final String spec)
    {
        final int colon = spec.indexOf(':');
        if (colon < 0)
        {
            return 1;
        }
        try
        {
            final long n = Long.parseLong(spec.substring(colon + 1));
            if (n >= 1)
            {
                return n;
            }
        }
        catch (final NumberFormatException ignored)
        {
            // falls through to the message below
        }
        throw new IllegalArgumentException("--crash-at count must be a positive integer, not " + spec);
    }

    /** Arms {@code point} to halt at its {@code n}-th occurrence; call before the writer starts. */
    public static synchronized void arm(final CrashPoint point, final long n)
    {
        armed = point;
        remaining = n;
    }

    /** Disarms every point. */
    public static synchronized void disarm()
    {
        armed = null;
        remaining = 0;
    }

    /** True when this occurrence of the point is the one to crash at (counts it); writer thread only. */
    public boolean due()
    {
        if (armed != this)
        {
            return false;
        }
        return --remaining == 0;
    }

    /** Halts the JVM when this occurrence of the point is due. */
    public void reached()
    {
        if (due())
        {
            halt();
        }
    }

    /** Halts the JVM now. */
    public static void halt()
    {
        Runtime.getRuntime().halt(EXIT_STATUS);
    }
}
