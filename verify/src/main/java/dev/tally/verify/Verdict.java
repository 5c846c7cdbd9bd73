package dev.tally.verify;

import java.io.PrintStream;
import java.util.ArrayList;
import java.util.List;

/**
 * Compares the ground truth with ClickHouse on every read path and prints the report: the counts, then either
 * {@code verify: EXACT MATCH (...)} or the differing keys, the totals per path and {@code verify: MISMATCH (...)}.
 * The same outcome goes into a {@link Summary}.
 */
final class Verdict
{
    /** Exit code of a verification that found differences. */
    static final int MISMATCH = 3;

    private static final int[] KINDS = {WindowRules.MINUTE, WindowRules.HOUR};

    private Verdict()
    {
    }

    /**
     * @param seedCheck the against-seed check that saw every record, or null.
     * @param summary   receives the outcome.
     * @return 0 on an exact match, {@link #MISMATCH} otherwise.
     */
    static int compare(final TopicSnapshot snapshot, final Expected expected, final ClickHouseSource clickhouse,
        final String where, final WindowRules rules, final SeedCheck seedCheck, final int maxDiff,
        final PrintStream out, final Summary summary)
    {
        out.println("verify: topic " + snapshot.topic() + ": " + snapshot.partitions() + " partitions, " +
            expected.records + " records read (read_committed, up to the end offsets at start)");
        expected.warnings.forEach(w -> out.println("verify: warning: " + w));
        out.println("verify: expected rows: " + perKind(rules, expected.rowsPerKind));
        out.println("verify: expected side output: " + expected.malformed + " malformed, " + expected.future +
            " future, late " + perKind(rules, expected.latePerKind));
        out.println("verify: expected late within the allowed lateness (came after the watermark passed their " +
            "window's end, folded into it): " + perKind(rules, expected.foldedLatePerKind));

        final List<RowComparison> paths = new ArrayList<>();
        for (final ReadPath path : ReadPath.values())
        {
            final RowComparison comparison = new RowComparison(path, expected.rows, maxDiff);
            for (final int kind : KINDS)
            {
                if (rules.computes(kind))
                {
                    clickhouse.rollups(kind, path, comparison::row);
                }
            }
            comparison.finish(rules);
            paths.add(comparison);
        }
        final List<String> conflicts = new ArrayList<>();
        for (final int kind : KINDS)
        {
            if (rules.computes(kind))
            {
                clickhouse.versionConflicts(kind, conflicts::add);
            }
        }
        final SideComparison side = new SideComparison(expected.side, maxDiff);
        clickhouse.sideOutput(side::row);
        side.finish();

        final StringBuilder found = new StringBuilder("verify: ClickHouse " + where + ":");
        for (final RowComparison path : paths)
        {
            found.append(' ').append(path.label()).append(' ')
                .append(perKind(rules, new long[] {path.rows(WindowRules.MINUTE), path.rows(WindowRules.HOUR)}))
                .append(';');
        }
        out.println(found.append(" late_events ").append(side.rows()).append(" rows (FINAL)"));
        if (seedCheck != null)
        {
            seedCheck.report(out);
        }

        final boolean rowsMatch = paths.stream().allMatch(RowComparison::matches);
        if (rowsMatch && conflicts.isEmpty() && side.matches() && (seedCheck == null || seedCheck.matches()))
        {
            out.println("verify: EXACT MATCH (" + expected.rows.size() + " rollup keys on " + paths.size() +
                " read paths, " + expected.side.size() + " side-output entries" +
                (seedCheck == null ? "" : ", every record equals the generator's") + ")");
            summary.record(0, snapshot, expected, paths, side, conflicts.size());
            return 0;
        }
        paths.forEach(p -> p.printDiffs(out));
        conflicts.stream().limit(maxDiff).forEach(c -> out.println("  diff [version-conflict] " + c));
        side.printDiffs(out);
        final List<String> totals = new ArrayList<>();
        paths.forEach(p -> totals.add(p.totals()));
        totals.add(side.totals());
        totals.add("version conflicts: " + conflicts.size());
        totals.forEach(t -> out.println("verify: " + t));
        final List<String> failed = new ArrayList<>();
        paths.stream().filter(p -> !p.matches()).forEach(p -> failed.add(p.totals()));
        if (!side.matches())
        {
            failed.add(side.totals());
        }
        if (!conflicts.isEmpty())
        {
            failed.add(conflicts.size() + " version conflicts");
        }
        if (seedCheck != null && !seedCheck.matches())
        {
            failed.add("records differing from the generator's");
        }
        out.println("verify: MISMATCH (" + String.join("; ", failed) + ")");
        summary.record(MISMATCH, snapshot, expected, paths, side, conflicts.size());
        return MISMATCH;
    }

    private static String perKind(final WindowRules rules, final long[] values)
    {
        final List<String> parts = new ArrayList<>();
        for (final int kind : KINDS)
        {
            if (rules.computes(kind))
            {
                parts.add(RowKey.kindName(kind) + " " + values[kind]);
            }
        }
        return String.join(", ", parts);
    }
}
