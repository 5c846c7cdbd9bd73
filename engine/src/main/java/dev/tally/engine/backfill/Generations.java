package dev.tally.engine.backfill;

import java.time.Instant;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.query.GenericRecord;
import dev.tally.engine.EngineException;
import dev.tally.engine.window.Windowing;

/**
 * The backfill generations of one database, kept in ClickHouse itself ({@code <database>.backfills}), so that two
 * backfills, from any machines, never share one. A generation is claimed by inserting a row under the
 * deduplication token {@code generation-<g>}: of two claims for the same g, ClickHouse keeps the first and silently
 * drops the second, and each claimant reads back whose claim stands; the loser tries g + 1. The table also records
 * each backfill's plan (so {@code --resume} continues the same one) and its end.
 */
final class Generations
{
    /** Generations are the top 15 bits of a row's version; 0 is the live engine's. */
    static final int MAX = (1 << (63 - Windowing.GENERATION_SHIFT)) - 1;
    private static final int CLAIM_ATTEMPTS = 64;
    private static final long TIMEOUT_SECONDS = 30;

    private final Client client;
    private final String table;

    Generations(final Client client, final String database)
    {
        this.client = client;
        this.table = database + ".backfills";
    }

    /** Creates the table when missing (it remembers the last 100,000 claims' tokens). */
    void create()
    {
        execute("CREATE TABLE IF NOT EXISTS " + table + " (generation UInt16, event LowCardinality(String), " +
            "claimant String, range_from DateTime64(3, 'UTC'), range_to DateTime64(3, 'UTC'), topic String, " +
            "live_group String, settings String, detail String, at DateTime64(3, 'UTC')) " +
            "ENGINE = MergeTree ORDER BY (generation, event) SETTINGS non_replicated_deduplication_window = 100000");
    }

    /** Claims the next free generation for {@code plan}; returns it. */
    int claim(final Plan plan)
    {
        final String claimant = UUID.randomUUID().toString();
        int g = Math.max(1, (int)scalar("SELECT max(generation) FROM " + table) + 1);
        for (int attempt = 0; attempt < CLAIM_ATTEMPTS && g <= MAX; attempt++, g++)
        {
            insert(g, "claimed", claimant, plan, "", "generation-" + g);
            final List<GenericRecord> rows = client.queryAll("SELECT claimant FROM " + table +
                " WHERE generation = " + g + " AND event = 'claimed' ORDER BY at LIMIT 1");
            if (!rows.isEmpty() && claimant.equals(rows.getFirst().getString(1)))
            {
                return g;
            }
        }
        throw new EngineException("could not claim a backfill generation in " + table + " (generations run up to " +
            MAX + "); see SELECT * FROM " + table);
    }

    /** The plan a claimed generation was started with, or null when it was never claimed. */
    Plan.Stored find(final int generation)
    {
        final List<GenericRecord> rows = client.queryAll("SELECT toUnixTimestamp64Milli(range_from), " +
            "toUnixTimestamp64Milli(range_to), topic, live_group, settings FROM " + table + " WHERE generation = " +
            generation + " AND event = 'claimed' ORDER BY at LIMIT 1");
        if (rows.isEmpty())
        {
            return null;
        }
        final GenericRecord r = rows.getFirst();
        return new Plan.Stored(r.getLong(1), r.getLong(2), r.getString(3), r.getString(4), r.getString(5));
    }

    /** Records that {@code generation} finished, with a one-line {@code detail}. */
    void finished(final int generation, final Plan plan, final String detail)
    {
        insert(generation, "finished", "", plan, detail, "generation-" + generation + "-finished-" + UUID.randomUUID());
    }

    private void insert(final int g, final String event, final String claimant, final Plan plan, final String detail,
        final String token)
    {
        execute("INSERT INTO " + table + " SETTINGS insert_deduplicate = 1, insert_deduplication_token = '" + token +
            "' VALUES (" + g + ", '" + event + "', '" + claimant + "', fromUnixTimestamp64Milli(" + plan.fromMs() +
            ", 'UTC'), fromUnixTimestamp64Milli(" + plan.toMs() + ", 'UTC'), " + quote(plan.topic()) + ", " +
            quote(plan.liveGroup()) + ", " + quote(plan.settings()) + ", " + quote(detail) + ", " +
            "fromUnixTimestamp64Milli(" + Instant.now().toEpochMilli() + ", 'UTC'))");
    }

    private long scalar(final String sql)
    {
        final List<GenericRecord> rows = client.queryAll(sql);
        return rows.isEmpty() ? 0 : rows.getFirst().getLong(1);
    }

    private void execute(final String sql)
    {
        try
        {
            client.execute(sql).get(TIMEOUT_SECONDS, TimeUnit.SECONDS).close();
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new EngineException("interrupted while writing to " + table);
        }
        catch (final Exception e)
        {
            throw new EngineException("cannot write to " + table + ": " + rootMessage(e));
        }
    }

    static String quote(final String s)
    {
        return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }

    static String rootMessage(final Throwable t)
    {
        Throwable c = t;
        while (c.getCause() != null && c.getCause() != c)
        {
            c = c.getCause();
        }
        final String m = c.getMessage() == null ? c.getClass().getSimpleName() : c.getMessage();
        final int nl = m.indexOf('\n');
        return nl < 0 ? m : m.substring(0, nl);
    }
}
