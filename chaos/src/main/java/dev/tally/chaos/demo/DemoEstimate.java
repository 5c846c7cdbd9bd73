package dev.tally.chaos.demo;

import java.util.Locale;

/**
 * How long a demo takes, from its parts as measured on a 2-core VM with nothing else running: starting the local
 * stack, the engine's JVM and group join, the paced flow (the engine is back from the kill well before it ends at
 * the default rate), the last catch-up, and verify re-reading the topic. Other work on the machine stretches all
 * of them.
 */
final class DemoEstimate
{
    static final int STACK_START_S = 15;
    static final int ENGINE_START_S = 10;
    static final int CATCH_UP_S = 10;
    /** verify reads and recomputes about this many events per second here. */
    static final int VERIFY_EVENTS_PER_S = 200_000;

    private DemoEstimate()
    {
    }

    static long seconds(final DemoSettings s, final boolean stackUp)
    {
        return stackSeconds(s, stackUp) + ENGINE_START_S + Math.round(s.flowSeconds()) + CATCH_UP_S +
            s.events() / VERIFY_EVENTS_PER_S;
    }

    static String text(final DemoSettings s, final boolean stackUp)
    {
        final long stack = stackSeconds(s, stackUp);
        return String.format(Locale.ROOT, "demo: estimated time %s on 2 idle cores: %s~%ds engine start, %s of " +
            "events at %,d/s, ~%ds to catch up, ~%s for verify to re-read the topic%s",
            DemoReport.duration(seconds(s, stackUp) * 1000), stack == 0 ? "" : "~" + stack + "s to start the stack, ",
            ENGINE_START_S, DemoReport.duration(Math.round(s.flowSeconds() * 1000)), s.rate(), CATCH_UP_S,
            DemoReport.duration(s.events() * 1000 / VERIFY_EVENTS_PER_S),
            stack == 0 ? "" : " (plus a one-time ~170 MB download of the ClickHouse engine if it is not cached yet)");
    }

    private static long stackSeconds(final DemoSettings s, final boolean stackUp)
    {
        return s.external() || stackUp ? 0 : STACK_START_S;
    }
}
