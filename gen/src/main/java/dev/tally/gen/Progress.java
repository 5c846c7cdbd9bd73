package dev.tally.gen;

import java.io.PrintStream;
import java.util.Locale;

/**
 * The live progress line (events sent, rate, acked, errors, how far behind schedule, ETA) and the final summary.
 * Called from the sending thread once per interval, never per event.
 */
final class Progress
{
    private final PrintStream out;
    private final boolean console;
    private final long total;
    private final long startNanos;
    private long lastNanos;
    private long lastSent;
    private int lastLength;

    Progress(final PrintStream out, final boolean console, final long total, final long startNanos)
    {
        this.out = out;
        this.console = console;
        this.total = total;
        this.startNanos = startNanos;
        this.lastNanos = startNanos;
    }

    void update(final long nowNanos, final long sent, final long acked, final long errors, final long behind)
    {
        final double seconds = Math.max(1e-9, (nowNanos - lastNanos) / 1e9);
        final double rate = (sent - lastSent) / seconds;
        lastNanos = nowNanos;
        lastSent = sent;
        final StringBuilder line = new StringBuilder(128);
        line.append(String.format(Locale.ROOT, "sent %,d", sent));
        if (total > 0)
        {
            line.append(String.format(Locale.ROOT, " (%.1f%%)", 100.0 * sent / total));
        }
        line.append(String.format(Locale.ROOT, "  rate %,.0f/s  acked %,d  errors %,d  behind %,d", rate, acked,
            errors, behind));
        if (total > 0 && rate > 0)
        {
            final long eta = (long)((total - sent) / rate);
            line.append(String.format(Locale.ROOT, "  eta %d:%02d:%02d", eta / 3600, eta / 60 % 60, eta % 60));
        }
        if (console)
        {
            final int length = line.length();
            while (line.length() < lastLength)
            {
                line.append(' ');
            }
            lastLength = length;
            out.print('\r');
            out.print(line);
        }
        else
        {
            out.println(line);
        }
        out.flush();
    }

    void summary(final long nowNanos, final String topic, final long firstIndex, final long nextIndex,
        final long sent, final long skipped, final long acked, final long errors, final String firstError)
    {
        if (console && lastLength > 0)
        {
            out.println();
        }
        final double seconds = Math.max(1e-9, (nowNanos - startNanos) / 1e9);
        out.println(String.format(Locale.ROOT,
            "tally gen: %s: indices [%d, %d): sent %,d, already present %,d, acked %,d, errors %,d in %.1fs (%,.0f events/s)",
            topic, firstIndex, nextIndex, sent, skipped, acked, errors, seconds, sent / seconds));
        if (firstError != null)
        {
            out.println("tally gen: first error: " + firstError);
        }
        out.flush();
    }
}
