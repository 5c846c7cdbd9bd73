package dev.tally.verify;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;

/**
 * Diffs {@code late_events} (read with FINAL) against the expected side output: entries missing, extra, with
 * another reason, and keys that FINAL still returns more than once. Also counts the rows it saw per reason.
 */
final class SideComparison
{
    private final Map<SideKey, String> expected;
    private final int maxDiff;
    private final Set<SideKey> seen = new HashSet<>();
    private final List<String> samples = new ArrayList<>();
    private final Map<String, Long> rowsPerReason = new TreeMap<>();
    private long rows;
    private long missing;
    private long extra;
    private long different;
    private long duplicates;

    SideComparison(final Map<SideKey, String> expected, final int maxDiff)
    {
        this.expected = expected;
        this.maxDiff = maxDiff;
    }

    /** One {@code late_events} row. */
    void row(final SideKey key, final String reason)
    {
        rows++;
        rowsPerReason.merge(reason, 1L, Long::sum);
        if (!seen.add(key))
        {
            duplicates++;
            sample(key, "one row", "another row (" + reason + ") for the same key after FINAL");
            return;
        }
        final String want = expected.get(key);
        if (want == null)
        {
            extra++;
            sample(key, "none", reason);
        }
        else if (!want.equals(reason))
        {
            different++;
            sample(key, want, reason);
        }
    }

    /** After the stream: every expected entry not seen is missing. */
    void finish()
    {
        for (final Map.Entry<SideKey, String> e : expected.entrySet())
        {
            if (!seen.contains(e.getKey()))
            {
                missing++;
                sample(e.getKey(), e.getValue(), "none");
            }
        }
    }

    private void sample(final SideKey key, final String want, final String actual)
    {
        if (samples.size() < maxDiff)
        {
            samples.add("  diff [late_events] " + key + ": expected " + want + ", actual " + actual);
        }
    }

    long rows()
    {
        return rows;
    }

    long missing()
    {
        return missing;
    }

    long extra()
    {
        return extra;
    }

    long different()
    {
        return different;
    }

    long duplicates()
    {
        return duplicates;
    }

    /**
     * @param reason a {@code late_events} reason, e.g. {@link Expected#LATE}.
     * @return the rows seen with that reason, duplicates included.
     */
    long rows(final String reason)
    {
        return rowsPerReason.getOrDefault(reason, 0L);
    }

    /** @return the reasons seen, in order, each with its rows. */
    Map<String, Long> rowsPerReason()
    {
        return rowsPerReason;
    }

    boolean matches()
    {
        return missing == 0 && extra == 0 && different == 0 && duplicates == 0;
    }

    void printDiffs(final PrintStream out)
    {
        samples.forEach(out::println);
    }

    String totals()
    {
        return "late_events: " + missing + " missing, " + extra + " extra, " + different + " with another reason, " +
            duplicates + " duplicate keys after FINAL";
    }
}
