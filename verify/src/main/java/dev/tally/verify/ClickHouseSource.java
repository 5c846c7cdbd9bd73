package dev.tally.verify;

import java.math.BigInteger;
import java.time.temporal.ChronoUnit;
import java.util.HashSet;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;
import java.util.regex.Pattern;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.data_formats.ClickHouseBinaryFormatReader;
import com.clickhouse.client.api.query.QueryResponse;

/**
 * Everything verify reads from ClickHouse, with its own SQL against the documented schema: the rollups through
 * each {@link ReadPath}, rows that share a version but not their content, and the side output. Results are
 * streamed row by row to a callback, never collected.
 */
final class ClickHouseSource implements AutoCloseable
{
    private static final Pattern IDENTIFIER = Pattern.compile("[A-Za-z_][A-Za-z0-9_]{0,63}");
    private static final long QUERY_TIMEOUT_MINUTES = 30;

    /** Receives one rollup row: key, {@code event_count} (unsigned) and {@code sum_amount}. */
    interface RowSink
    {
        void row(RowKey key, long count, BigInteger sum);
    }

    private final Client client;
    private final String url;
    private final String db;

    ClickHouseSource(final String url, final String user, final String password, final String database)
    {
        if (!IDENTIFIER.matcher(database).matches())
        {
            throw new VerifyException(2, "--database must be a plain identifier, not '" + database + "'");
        }
        this.url = url;
        this.db = database;
        this.client = new Client.Builder().addEndpoint(url).setUsername(user).setPassword(password)
            .setConnectTimeout(5, ChronoUnit.SECONDS).setSocketTimeout(QUERY_TIMEOUT_MINUTES, ChronoUnit.MINUTES)
            .build();
    }

    /** @return the table holding rows of {@code kind}. */
    static String table(final int kind)
    {
        return kind == WindowRules.MINUTE ? "rollup_minute" : "rollup_hour";
    }

    /**
     * Check that ClickHouse answers the credentials given.
     *
     * @throws VerifyException (exit 1) with what to do otherwise.
     */
    void requireReachable()
    {
        final long[] answers = new long[1];
        stream("SELECT 1 AS one", r -> answers[0]++);
        if (answers[0] != 1)
        {
            throw new VerifyException(1, "ClickHouse at " + url + " did not answer SELECT 1 with one row");
        }
    }

    /**
     * Check that ClickHouse answers and the database holds what verify reads for the computed kinds.
     *
     * @throws VerifyException (exit 1) with what to do otherwise.
     */
    void requireSchema(final WindowRules rules)
    {
        final Set<String> tables = new HashSet<>();
        stream("SELECT name FROM system.tables WHERE database = '" + db + "'", r -> tables.add(r.getString("name")));
        final Set<String> missing = new java.util.TreeSet<>();
        for (final int kind : new int[] {WindowRules.MINUTE, WindowRules.HOUR})
        {
            if (rules.computes(kind))
            {
                missing.add(table(kind));
                missing.add(table(kind) + "_final");
            }
        }
        missing.add("late_events");
        missing.removeAll(tables);
        if (!missing.isEmpty())
        {
            throw new VerifyException(1, "database '" + db + "' at " + url + " lacks " + String.join(", ", missing) +
                ": run the engine (./tally run) against it first, or pass --database");
        }
    }

    /** Stream the rollup rows of {@code kind} as {@code path} reads them, one per (window, account, country). */
    void rollups(final int kind, final ReadPath path, final RowSink sink)
    {
        final String table = db + "." + table(kind);
        final String sql = switch (path)
        {
            case FINAL_VIEW -> "SELECT toUnixTimestamp(window_start) AS ws, toString(account_id) AS a, " +
                "toString(country) AS c, toString(event_count) AS n, toString(sum_amount) AS s FROM " + table + "_final";
            case ARGMAX_VERSION -> "SELECT toUnixTimestamp(window_start) AS ws, toString(account_id) AS a, " +
                "toString(country) AS c, toString(sum(latest_count)) AS n, toString(sum(latest_sum)) AS s FROM (" +
                "SELECT window_start, account_id, country, source_partition, " +
                "argMax(event_count, version) AS latest_count, argMax(sum_amount, version) AS latest_sum FROM " +
                table + " GROUP BY window_start, account_id, country, source_partition) " +
                "GROUP BY window_start, account_id, country";
        };
        stream(sql, r -> sink.row(new RowKey(kind, r.getLong("ws"), Long.parseUnsignedLong(r.getString("a")),
            r.getString("c")), Long.parseUnsignedLong(r.getString("n")), new BigInteger(r.getString("s"))));
    }

    /**
     * Stream the base-table rows of {@code kind} that share {@code (window_start, account_id, country,
     * source_partition, version)} but differ in content: the versioning contract says this never happens, and
     * when it does the two read paths may legitimately pick different rows.
     */
    void versionConflicts(final int kind, final Consumer<String> sink)
    {
        stream("SELECT toUnixTimestamp(window_start) AS ws, toString(account_id) AS a, toString(country) AS c, " +
            "source_partition AS p, toString(version) AS v, uniqExact(event_count, sum_amount) AS variants FROM " +
            db + "." + table(kind) + " GROUP BY window_start, account_id, country, source_partition, version " +
            "HAVING variants > 1", r -> sink.accept(new RowKey(kind, r.getLong("ws"),
            Long.parseUnsignedLong(r.getString("a")), r.getString("c")) + " source_partition=" + r.getInteger("p") +
            " version=" + r.getString("v") + ": " + r.getLong("variants") + " different rows"));
    }

    /** Stream {@code late_events} as read with FINAL: one call per row, duplicates included. */
    void sideOutput(final java.util.function.BiConsumer<SideKey, String> sink)
    {
        stream("SELECT source_partition AS p, toString(`offset`) AS o, window_kind AS k, toString(reason) AS r FROM " +
            db + ".late_events FINAL", r -> sink.accept(new SideKey(r.getInteger("p"),
            Long.parseUnsignedLong(r.getString("o")), r.getByte("k")), r.getString("r")));
    }

    @SuppressWarnings("try") // QueryResponse.close() declares Exception; closing is all that is wanted here.
    private void stream(final String sql, final Consumer<ClickHouseBinaryFormatReader> perRow)
    {
        try (QueryResponse response = client.query(sql).get(QUERY_TIMEOUT_MINUTES, TimeUnit.MINUTES))
        {
            final ClickHouseBinaryFormatReader reader = client.newBinaryFormatReader(response);
            while (reader.hasNext())
            {
                reader.next();
                perRow.accept(reader);
            }
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new VerifyException(1, "interrupted while querying ClickHouse at " + url, e);
        }
        catch (final VerifyException e)
        {
            throw e;
        }
        catch (final ExecutionException | TimeoutException | RuntimeException e)
        {
            final Throwable cause = e instanceof ExecutionException && e.getCause() != null ? e.getCause() : e;
            throw new VerifyException(1, "ClickHouse at " + url + " failed (" + firstLine(cause) +
                "): start it with ./tally stack up, or check --clickhouse-url, --clickhouse-user and the password", e);
        }
        catch (final Exception e)
        {
            throw new VerifyException(1, "ClickHouse at " + url + " failed: " + firstLine(e), e);
        }
    }

    private static String firstLine(final Throwable t)
    {
        final String message = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
        final int nl = message.indexOf('\n');
        final String line = nl < 0 ? message : message.substring(0, nl);
        return line.length() > 200 ? line.substring(0, 200) + "..." : line;
    }

    @Override
    public void close()
    {
        client.close();
    }
}
