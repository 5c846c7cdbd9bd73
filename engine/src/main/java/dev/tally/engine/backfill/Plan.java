package dev.tally.engine.backfill;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import dev.tally.engine.window.WindowKind;

/**
 * What a backfill recomputes: every window of the enabled kinds that lies wholly inside [{@code fromMs},
 * {@code toMs}), under the windowing settings given (normally the live engine's). A window [s, e) is final for a
 * partition once that partition's watermark reaches e + allowed lateness; the range is final at
 * {@link #closesAtMs()}.
 */
record Plan(long fromMs, long toMs, String topic, String liveGroup, String window, long watermarkDelayMs,
    long allowedLatenessMs, long maxFutureSkewMs)
{
    /** A plan as {@link Generations} stored it. */
    record Stored(long fromMs, long toMs, String topic, String liveGroup, String settings)
    {
    }

    Plan
    {
        if (fromMs >= toMs)
        {
            throw new IllegalArgumentException("--to must be after --from");
        }
        WindowKind.mask(window);
    }

    /** The windowing settings as one line, stored with the generation. */
    String settings()
    {
        return "window=" + window + " watermark-delay-ms=" + watermarkDelayMs + " allowed-lateness-ms=" +
            allowedLatenessMs + " max-future-skew-ms=" + maxFutureSkewMs;
    }

    /** The plan {@code stored} describes. */
    static Plan of(final Stored stored)
    {
        String window = null;
        long delay = -1;
        long lateness = -1;
        long skew = -1;
        for (final String kv : stored.settings().trim().split("\\s+"))
        {
            final int eq = kv.indexOf('=');
            final String value = kv.substring(eq + 1);
            switch (kv.substring(0, Math.max(eq, 0)))
            {
                case "window" -> window = value;
                case "watermark-delay-ms" -> delay = Long.parseLong(value);
                case "allowed-lateness-ms" -> lateness = Long.parseLong(value);
                case "max-future-skew-ms" -> skew = Long.parseLong(value);
                default ->
                {
                    // later versions may store more
                }
            }
        }
        if (window == null || delay < 0 || lateness < 0 || skew < 0)
        {
            throw new IllegalArgumentException("stored backfill settings are incomplete: " + stored.settings());
        }
        return new Plan(stored.fromMs(), stored.toMs(), stored.topic(), stored.liveGroup(), window, delay, lateness,
            skew);
    }

    int kindMask()
    {
        return WindowKind.mask(window);
    }

    /** The first start of a {@code kind} window wholly inside the range. */
    long firstStart(final int kind)
    {
        final long size = WindowKind.sizeMs(kind);
        return Math.ceilDiv(fromMs, size) * size;
    }

    /** The last end of a {@code kind} window wholly inside the range. */
    long lastEnd(final int kind)
    {
        final long size = WindowKind.sizeMs(kind);
        return Math.floorDiv(toMs, size) * size;
    }

    /** How many {@code kind} windows lie wholly inside the range (0 when the kind is not enabled). */
    long windows(final int kind)
    {
        if ((kindMask() & (1 << kind)) == 0)
        {
            return 0;
        }
        return Math.max(0, (lastEnd(kind) - firstStart(kind)) / WindowKind.sizeMs(kind));
    }

    long totalWindows()
    {
        long n = 0;
        for (int kind = 0; kind < WindowKind.COUNT; kind++)
        {
            n += windows(kind);
        }
        return n;
    }

    /** When the watermark makes every window of the range final: the latest end plus the allowed lateness. */
    long closesAtMs()
    {
        long end = Long.MIN_VALUE;
        for (int kind = 0; kind < WindowKind.COUNT; kind++)
        {
            if (windows(kind) > 0)
            {
                end = Math.max(end, lastEnd(kind));
            }
        }
        return end + allowedLatenessMs;
    }

    /**
     * The earliest Kafka timestamp a record folded into the range can carry: a record whose event time leads its
     * timestamp by more than the max future skew is side output, never folded, so reading from the first offset at
     * or after {@code from - maxFutureSkew} misses nothing of the range. (A record read earlier could only move the
     * watermark below {@code from}, which changes no decision about a window of the range.)
     */
    long readFromTimestampMs()
    {
        return fromMs - maxFutureSkewMs;
    }

    /** "minute windows 10:00 to 11:00 (60), hour windows 10:00 to 11:00 (1)". */
    String describe()
    {
        final List<String> parts = new ArrayList<>();
        for (int kind = 0; kind < WindowKind.COUNT; kind++)
        {
            final long n = windows(kind);
            if (n > 0)
            {
                parts.add(WindowKind.name(kind) + " windows " + Instant.ofEpochMilli(firstStart(kind)) + " to " +
                    Instant.ofEpochMilli(lastEnd(kind)) + " (" + n + ")");
            }
        }
        return parts.isEmpty() ? "no window" : String.join(", ", parts);
    }
}
