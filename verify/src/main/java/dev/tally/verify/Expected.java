package dev.tally.verify;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The ground truth recomputed from the topic: every expected rollup row and every expected side-output entry, plus
 * counts for the report.
 */
final class Expected
{
    /** Side-output reason of records whose value does not decode. */
    static final String MALFORMED = "malformed";

    /** Side-output reason of records too far ahead of their Kafka timestamp. */
    static final String FUTURE = "future";

    /** Side-output reason of records late for a window kind. */
    static final String LATE = "late";

    final Map<RowKey, Tally> rows = new HashMap<>();
    final Map<SideKey, String> side = new HashMap<>();
    final List<String> warnings = new ArrayList<>();
    final long[] rowsPerKind = new long[2];
    final long[] latePerKind = new long[2];
    /** Records accepted after the watermark had passed their window's end (late, within the allowed lateness). */
    final long[] foldedLatePerKind = new long[2];
    long records;
    long malformed;
    long future;

    void accept(final int kind, final long windowStartSec, final long accountId, final String country,
        final long amount)
    {
        final Tally tally = rows.computeIfAbsent(new RowKey(kind, windowStartSec, accountId, country), k ->
        {
            rowsPerKind[kind]++;
            return new Tally();
        });
        tally.add(amount);
    }

    void sideOutput(final int partition, final long offset, final int kind, final String reason)
    {
        if (side.put(new SideKey(partition, offset, kind), reason) != null)
        {
            throw new IllegalStateException("record " + partition + "/" + offset + " classified twice for " + kind);
        }
        switch (reason)
        {
            case MALFORMED -> malformed++;
            case FUTURE -> future++;
            default -> latePerKind[kind]++;
        }
    }
}
