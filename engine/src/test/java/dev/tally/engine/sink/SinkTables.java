package dev.tally.engine.sink;

import java.util.concurrent.TimeUnit;

import com.clickhouse.client.api.Client;

/** Rollup batches and row counts shared by the tests that insert into the local ClickHouse server. */
final class SinkTables
{
    /** The window start of every test row: 2026-01-01T00:00:00Z. */
    static final long WINDOW = 1_767_225_600_000L;

    private SinkTables()
    {
    }

    /** Fills {@code batch} with {@code rows} rollup rows whose batch_id is {@code batchId} and accounts distinct. */
    static Batch rollupBatch(final Batch batch, final long batchId, final int rows)
    {
        batch.reset(Batch.ROLLUP_MINUTE, batchId);
        for (int i = 0; i < rows; i++)
        {
            batch.body().checkLimit(batch.length() + RollupRowEncoder.ROW_LENGTH);
            final int next = RollupRowEncoder.encode(batch.body(), batch.length(), WINDOW, batchId * 1_000 + i,
                0x5553, i % 4, i + 1, i * 10L, 0, 1, batchId, WINDOW + 60_500);
            batch.appended(next - batch.length(), System.nanoTime());
        }
        return batch;
    }

    /**
     * Creates {@code db} with a rollup_minute that is a plain MergeTree remembering {@code deduplicationWindow}
     * inserts, so a duplicate row is never merged away.
     */
    static String plainDatabase(final Client client, final String db, final int deduplicationWindow) throws Exception
    {
        client.execute("CREATE DATABASE " + db).get(60, TimeUnit.SECONDS).close();
        client.execute("CREATE TABLE " + db + ".rollup_minute (window_start DateTime('UTC'), account_id UInt64, " +
            "country LowCardinality(String), source_partition UInt16, event_count UInt64, sum_amount Int128, " +
            "version UInt64, batch_id UInt64, emitted_at DateTime64(3, 'UTC')) ENGINE = MergeTree " +
            "ORDER BY tuple() SETTINGS non_replicated_deduplication_window = " + deduplicationWindow)
            .get(60, TimeUnit.SECONDS).close();
        return db;
    }

    /** Raw rows of {@code db}.rollup_minute (no FINAL). */
    static long count(final Client client, final String db)
    {
        return client.queryAll("SELECT toInt64(count()) FROM " + db + ".rollup_minute").getFirst().getLong(1);
    }

    /** Raw rows of {@code db}.rollup_minute written by batch {@code batchId}. */
    static long countOf(final Client client, final String db, final long batchId)
    {
        return client.queryAll("SELECT toInt64(count()) FROM " + db + ".rollup_minute WHERE batch_id = " + batchId)
            .getFirst().getLong(1);
    }
}
