package dev.tally.stack.clickhouse;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.insert.InsertResponse;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.client.api.query.GenericRecord;
import com.clickhouse.data.ClickHouseFormat;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * A rollup table as the engine lands it: 1M RowBinary rows in 10 batches of 100k, each batch a newer version of the
 * same 100k (key, bucket) cells; FINAL and argMax(version) must both see exactly the last batch, and
 * insert_deduplication_token must make a re-sent batch a no-op while a new token applies.
 */
class ReplacingMergeTreeTest
{
    private static final int KEYS = 100_000;
    private static final int BATCHES = 10;
    private static final long BUCKET_BASE = 1_767_225_600L;
    @TempDir
    static Path dir;
    private static TestServer server;
    private static Client client;

    @BeforeAll
    static void start() throws Exception
    {
        server = TestServer.start(dir, LocalClickHouse.Options.defaults());
        client = server.client();
        TestServer.execute(client, "CREATE TABLE rollup (" + RowBinaryRows.COLUMNS + ") " +
            "ENGINE = ReplacingMergeTree(version) ORDER BY (key, bucket) " +
            "SETTINGS non_replicated_deduplication_window = 1000");
        for (int batch = 0; batch < BATCHES; batch++)
        {
            assertThat(insert(batch, "batch-" + batch).getWrittenRows()).isEqualTo(KEYS);
        }
    }

    @AfterAll
    static void stop()
    {
        if (client != null)
        {
            client.close();
        }
        if (server != null)
        {
            server.close();
        }
    }

    private static BigInteger amount(final int key, final int batch)
    {
        // Beyond 64 bits and signed, so both words of the Int128 matter.
        return BigInteger.valueOf(key).shiftLeft(70).add(BigInteger.valueOf(batch)).negate();
    }

    private static InsertResponse insert(final int batch, final String token) throws Exception
    {
        final RowBinaryRows rows = new RowBinaryRows();
        for (int key = 0; key < KEYS; key++)
        {
            rows.add("acct-" + (key % 997) + "/" + key, BUCKET_BASE + (key % 24) * 3600L, amount(key, batch),
                batch + 1);
        }
        return client.insert("rollup", new ByteArrayInputStream(rows.bytes()), ClickHouseFormat.RowBinary,
            new InsertSettings().setDeduplicationToken(token)).get(120, TimeUnit.SECONDS);
    }

    private static BigInteger expectedSum(final int batch)
    {
        BigInteger sum = BigInteger.ZERO;
        for (int key = 0; key < KEYS; key++)
        {
            sum = sum.add(amount(key, batch));
        }
        return sum;
    }

    @Test
    void finalAndArgMaxSeeOnlyTheLatestVersionOfEachCell()
    {
        final GenericRecord fin = client.queryAll(
            "SELECT count(), sum(amount), min(version), max(version) FROM rollup FINAL").getFirst();
        assertThat(fin.getLong(1)).isEqualTo(KEYS);
        assertThat(fin.getBigInteger(2)).isEqualTo(expectedSum(BATCHES - 1));
        assertThat(fin.getLong(3)).isEqualTo(BATCHES);
        assertThat(fin.getLong(4)).isEqualTo(BATCHES);

        final GenericRecord argMax = client.queryAll("SELECT count(), sum(a) FROM (" +
            "SELECT key, bucket, argMax(amount, version) AS a FROM rollup GROUP BY key, bucket)").getFirst();
        assertThat(argMax.getLong(1)).isEqualTo(KEYS);
        assertThat(argMax.getBigInteger(2)).isEqualTo(expectedSum(BATCHES - 1));

        final List<GenericRecord> cell = client.queryAll(
            "SELECT key, bucket, amount, version FROM rollup FINAL WHERE key = 'acct-5/1002'");
        assertThat(cell).hasSize(1);
        assertThat(cell.getFirst().getBigInteger("amount")).isEqualTo(amount(1002, BATCHES - 1));
        assertThat(cell.getFirst().getZonedDateTime("bucket").toEpochSecond()).isEqualTo(BUCKET_BASE + 18 * 3600L);
        assertThat(cell.getFirst().getLong("version")).isEqualTo(BATCHES);
    }

    @Test
    void sameTokenIsNotAppliedTwiceAndANewTokenIs() throws Exception
    {
        TestServer.execute(client, "SYSTEM STOP MERGES rollup");
        try
        {
            final long before = TestServer.scalar(client, "SELECT count() FROM rollup");
            insert(BATCHES - 1, "batch-" + (BATCHES - 1));
            assertThat(TestServer.scalar(client, "SELECT count() FROM rollup")).isEqualTo(before);
            insert(BATCHES - 1, "batch-" + (BATCHES - 1) + "-again");
            assertThat(TestServer.scalar(client, "SELECT count() FROM rollup")).isEqualTo(before + KEYS);
            assertThat(TestServer.scalar(client, "SELECT count() FROM rollup FINAL")).isEqualTo(KEYS);
        }
        finally
        {
            TestServer.execute(client, "SYSTEM START MERGES rollup");
        }
    }
}
