package dev.tally.verify;

import java.io.PrintStream;
import java.math.BigInteger;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * Diffs the rollup rows one {@link ReadPath} returns against the expected rows, as they stream in: counts of
 * missing, extra and different keys, and the first {@code maxDiff} of them spelled out. Besides, it classifies the
 * damage by direction: over-counted keys (duplicates: a larger count than expected, a row that should not exist, or
 * a key returned again) and under-counted keys (loss: a smaller count than expected, or a missing row). A key whose
 * count matches but whose sum differs is neither.
 */
final class RowComparison
{
    private final ReadPath path;
    private final Map<RowKey, Tally> expected;
    private final int maxDiff;
    private final List<String> samples = new ArrayList<>();
    private final long[] rowsPerKind = new long[2];
    private long missing;
    private long extra;
    private long different;
    private long overCounted;
    private long underCounted;

    RowComparison(final ReadPath path, final Map<RowKey, Tally> expected, final int maxDiff)
    {
        this.path = path;
        this.expected = expected;
        this.maxDiff = maxDiff;
    }

    /** One row as ClickHouse returned it on this path. */
    void row(final RowKey key, final long count, final BigInteger sum)
    {
        rowsPerKind[key.kind()]++;
        final Tally want = expected.get(key);
        final String actual = "count=" + Long.toUnsignedString(count) + " sum=" + sum;
        if (want == null)
        {
            extra++;
            overCounted++;
            sample(key, "none", actual);
        }
        else if (!want.markSeen(path.ordinal()))
        {
            different++;
            overCounted++;
            sample(key, want.toString(), actual + " (key returned more than once)");
        }
        else if (want.count() != count || !want.sum().equals(sum))
        {
            different++;
            final int direction = Long.compareUnsigned(count, want.count());
            if (direction > 0)
            {
                overCounted++;
            }
            else if (direction < 0)
            {
                underCounted++;
            }
            sample(key, want.toString(), actual);
        }
    }

    /** After all kinds were streamed: every expected row of a computed kind not returned is missing. */
    void finish(final WindowRules rules)
    {
        for (final Map.Entry<RowKey, Tally> e : expected.entrySet())
        {
            if (rules.computes(e.getKey().kind()) && !e.getValue().seenBy(path.ordinal()))
            {
                missing++;
                underCounted++;
                sample(e.getKey(), e.getValue().toString(), "none");
            }
        }
    }

    private void sample(final RowKey key, final String want, final String actual)
    {
        if (samples.size() < maxDiff)
        {
            samples.add("  diff [" + path.label() + "] " + key + ": expected " + want + ", actual " + actual);
        }
    }

    String label()
    {
        return path.label();
    }

    long rows(final int kind)
    {
        return rowsPerKind[kind];
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

    /** @return keys counted too often: a larger count than expected, extra, or returned more than once. */
    long overCounted()
    {
        return overCounted;
    }

    /** @return keys counted too rarely: a smaller count than expected, or missing. */
    long underCounted()
    {
        return underCounted;
    }

    boolean matches()
    {
        return missing == 0 && extra == 0 && different == 0;
    }

    void printDiffs(final PrintStream out)
    {
        samples.forEach(out::println);
    }

    String totals()
    {
        return path.label() + ": " + missing + " missing, " + extra + " extra, " + different + " different keys; " +
            overCounted + " over-counted (duplicates), " + underCounted + " under-counted (loss)";
    }
}
