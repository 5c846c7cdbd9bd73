package dev.tally.engine.backfill;

import java.util.List;
import java.util.StringJoiner;
import java.util.concurrent.TimeUnit;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.query.GenericRecord;
import dev.tally.engine.EngineException;
import dev.tally.engine.window.WindowKind;
import dev.tally.engine.window.Windowing;

/**
 * After a backfill landed every window of its range for some partitions, the rows of those windows and partitions
 * with an older generation are superseded: either a row of this generation replaces them, or the recomputation no
 * longer produces their key (a corrected aggregation can change the key set), in which case {@code FINAL} would
 * keep showing them. A lightweight {@code DELETE} removes them. It touches only windows wholly inside the range and
 * only versions below this generation, so rows of the live engine's other windows and of newer backfills stay.
 */
final class Superseded
{
    private static final long TIMEOUT_SECONDS = 300;

    private Superseded()
    {
    }

    /** The condition selecting the superseded rows of {@code kind}'s table. */
    static String where(final Plan plan, final int kind, final int generation, final List<Integer> partitions)
    {
        final StringJoiner in = new StringJoiner(", ", "(", ")");
        partitions.forEach(p -> in.add(Integer.toString(p)));
        return "window_start >= toDateTime(" + plan.firstStart(kind) / 1000 + ", 'UTC') AND window_start < " +
            "toDateTime(" + plan.lastEnd(kind) / 1000 + ", 'UTC') AND source_partition IN " + in + " AND version < " +
            ((long)generation << Windowing.GENERATION_SHIFT);
    }

    /** Deletes the superseded rows of every kind in the plan for {@code partitions}; returns how many went. */
    static long delete(final Client client, final String database, final Plan plan, final int generation,
        final List<Integer> partitions)
    {
        if (partitions.isEmpty())
        {
            return 0;
        }
        long deleted = 0;
        for (int kind = 0; kind < WindowKind.COUNT; kind++)
        {
            if (plan.windows(kind) == 0)
            {
                continue;
            }
            final String table = database + ".rollup_" + WindowKind.name(kind);
            final String where = where(plan, kind, generation, partitions);
            final List<GenericRecord> n = client.queryAll("SELECT count() FROM " + table + " WHERE " + where);
            final long rows = n.isEmpty() ? 0 : n.getFirst().getLong(1);
            if (rows > 0)
            {
                run(client, "DELETE FROM " + table + " WHERE " + where);
                deleted += rows;
            }
        }
        return deleted;
    }

    private static void run(final Client client, final String sql)
    {
        try
        {
            client.execute(sql).get(TIMEOUT_SECONDS, TimeUnit.SECONDS).close();
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new EngineException("interrupted while deleting superseded rows");
        }
        catch (final Exception e)
        {
            throw new EngineException("the backfill landed, but deleting the superseded rows failed (" +
                Generations.rootMessage(e) + "); FINAL still reads the new rows; retry with: " + sql);
        }
    }
}
