package dev.tally.engine.sink;

import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import com.clickhouse.client.api.Client;

/**
 * The ClickHouse objects tally writes to: the two rollup tables, their per-key views and the side-output table.
 * Every statement is {@code IF NOT EXISTS}, so {@link #create(Client, String)} can run at every start.
 * <p>
 * Rollup rows are keyed by {@code (window_start, account_id, country, source_partition)}: each source partition
 * writes its own row, a re-emission carries a higher {@code version}, and {@code ReplacingMergeTree(version)} keeps
 * the highest. The {@code _final} views read with {@code FINAL} and sum over source partitions, giving one row per
 * {@code (window_start, account_id, country)}. Column order matches {@link RollupRowEncoder} and
 * {@link LateEventEncoder}.
 */
public final class ClickHouseSchema
{
    /** Inserts per table remembered for {@code insert_deduplication_token} checks. */
    public static final int DEFAULT_DEDUPLICATION_WINDOW = 1000;

    private static final long DDL_TIMEOUT_SECONDS = 60;
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");

    private static final String ROLLUP_COLUMNS =
        "window_start DateTime('UTC'), account_id UInt64, country LowCardinality(String), " +
        "source_partition UInt16, event_count UInt64, sum_amount Int128, version UInt64, batch_id UInt64, " +
        "emitted_at DateTime64(3, 'UTC')";

    private static final String LATE_COLUMNS =
        "source_partition UInt16, `offset` UInt64, window_kind Int8, reason LowCardinality(String), " +
        "event_time DateTime64(3, 'UTC'), account_id UInt64, country LowCardinality(String), amount Int64, " +
        "raw String, detected_at DateTime64(3, 'UTC')";

    private ClickHouseSchema()
    {
    }

    /** The DDL, in the order it must run, for {@code database} with the default deduplication window. */
    public static List<String> statements(final String database)
    {
        return statements(database, DEFAULT_DEDUPLICATION_WINDOW);
    }

    /** The DDL, in the order it must run: database, tables, then the views that read the tables. */
    public static List<String> statements(final String database, final int deduplicationWindow)
    {
        return statements(database, deduplicationWindow, false);
    }

    /**
     * The DDL; {@code additive} gives the at-least-once baseline's flavour instead: rollup tables that sum every
     * emitted delta ({@code SummingMergeTree}) and views that sum all rows, no {@code FINAL}.
     */
    public static List<String> statements(final String database, final int deduplicationWindow,
        final boolean additive)
    {
        final String db = checkIdentifier(database);
        if (deduplicationWindow < 0)
        {
            throw new IllegalArgumentException("deduplication window must be >= 0, not " + deduplicationWindow);
        }
        // The baseline remembers no inserts: a block sent twice lands twice, as in a pipeline without tokens. (On the
        // local chDB server insert_deduplicate=0 alone does not stop a non-replicated table's window from deduplicating.)
        final String settings =
            " SETTINGS non_replicated_deduplication_window = " + (additive ? 0 : deduplicationWindow);
        return List.of(
            "CREATE DATABASE IF NOT EXISTS " + db,
            rollupTable(db, "rollup_minute", "toYYYYMMDD(window_start)", settings, additive),
            rollupTable(db, "rollup_hour", "toYYYYMM(window_start)", settings, additive),
            "CREATE TABLE IF NOT EXISTS " + db + ".late_events (" + LATE_COLUMNS + ") " +
                "ENGINE = ReplacingMergeTree ORDER BY (source_partition, `offset`, window_kind)" + settings,
            finalView(db, "rollup_minute", additive),
            finalView(db, "rollup_hour", additive));
    }

    /** Creates whatever is missing of the schema in {@code database}; harmless when it all exists. */
    public static void create(final Client client, final String database)
    {
        create(client, database, DEFAULT_DEDUPLICATION_WINDOW);
    }

    /** Creates whatever is missing of the schema in {@code database}, new tables with {@code deduplicationWindow}. */
    public static void create(final Client client, final String database, final int deduplicationWindow)
    {
        create(client, database, deduplicationWindow, false);
    }

    /**
     * Creates whatever is missing of the schema ({@code additive}: the at-least-once flavour), then checks that the
     * rollup tables that exist are of that flavour: the two modes must never write into the same tables.
     *
     * @throws IllegalStateException naming the database to change
     */
    public static void create(final Client client, final String database, final int deduplicationWindow,
        final boolean additive)
    {
        run(client, statements(database, deduplicationWindow, additive));
        final String engine = tableEngine(client, database, "rollup_minute");
        final String expected = additive ? "SummingMergeTree" : "ReplacingMergeTree";
        if (!expected.equals(engine))
        {
            throw new IllegalStateException("database " + database + " holds " + engine + " rollup tables, written " +
                "by the other --eos-mode; give each mode its own --database");
        }
    }

    private static String tableEngine(final Client client, final String database, final String table)
    {
        final var rows = client.queryAll("SELECT engine FROM system.tables WHERE database = '" + database +
            "' AND name = '" + table + "'");
        return rows.isEmpty() ? "" : rows.getFirst().getString(1);
    }

    private static void run(final Client client, final List<String> statements)
    {
        for (final String sql : statements)
        {
            try
            {
                client.execute(sql).get(DDL_TIMEOUT_SECONDS, TimeUnit.SECONDS).close();
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                throw new IllegalStateException("interrupted while creating the schema: " + sql, e);
            }
            catch (final RuntimeException e)
            {
                throw e;
            }
            catch (final Exception e)
            {
                throw new IllegalStateException("could not run: " + sql, e);
            }
        }
    }

    private static String rollupTable(final String db, final String table, final String partitionBy,
        final String settings, final boolean additive)
    {
        return "CREATE TABLE IF NOT EXISTS " + db + "." + table + " (" + ROLLUP_COLUMNS + ") " +
            "ENGINE = " + (additive ? "SummingMergeTree((event_count, sum_amount))" : "ReplacingMergeTree(version)") +
            " PARTITION BY " + partitionBy +
            " ORDER BY (window_start, account_id, country, source_partition)" + settings;
    }

    private static String finalView(final String db, final String table, final boolean additive)
    {
        return "CREATE VIEW IF NOT EXISTS " + db + "." + table + "_final AS " +
            "SELECT window_start, account_id, country, sum(event_count) AS event_count, " +
            "sum(sum_amount) AS sum_amount FROM " + db + "." + table + (additive ? " " : " FINAL ") +
            "GROUP BY window_start, account_id, country";
    }

    /** {@code name} when it is a plain identifier (safe to splice into SQL), else IllegalArgumentException. */
    static String checkIdentifier(final String name)
    {
        if (name == null || !IDENTIFIER.matcher(name).matches())
        {
            throw new IllegalArgumentException("database name must be a plain identifier, not " + name);
        }
        return name;
    }
}
