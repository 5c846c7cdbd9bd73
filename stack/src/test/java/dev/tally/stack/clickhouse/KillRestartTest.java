package dev.tally.stack.clickhouse;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.client.api.query.GenericRecord;
import com.clickhouse.data.ClickHouseFormat;

import dev.tally.stack.Pids;

import static org.assertj.core.api.Assertions.assertThat;

/** kill -9 while batches stream in: after a restart on the same data, every acknowledged batch is whole. */
class KillRestartTest
{
    private static final int BATCH_ROWS = 50_000;
    @TempDir
    static Path dir;
    private static TestServer server;

    @BeforeAll
    static void start()
    {
        server = TestServer.start(dir, LocalClickHouse.Options.defaults());
    }

    @AfterAll
    static void stop()
    {
        if (server != null)
        {
            server.close();
        }
    }

    private static byte[] batch(final int id)
    {
        final RowBinaryRows rows = new RowBinaryRows();
        for (int i = 0; i < BATCH_ROWS; i++)
        {
            rows.add("b" + id + "-" + i, 1_767_225_600L + id, BigInteger.valueOf(i), id);
        }
        return rows.bytes();
    }

    @Test
    void acknowledgedBatchesSurviveKillNineAndNoBatchIsPartial() throws Exception
    {
        final Set<Integer> acked = ConcurrentHashMap.newKeySet();
        final AtomicInteger inFlight = new AtomicInteger(-1);
        try (Client client = server.client(b -> b.setMaxRetries(0)))
        {
            TestServer.execute(client, "CREATE TABLE landed (" + RowBinaryRows.COLUMNS + ") " +
                "ENGINE = MergeTree ORDER BY (version, key) SETTINGS non_replicated_deduplication_window = 1000");
            final Thread writer = Thread.ofPlatform().name("batch-writer").start(() ->
            {
                for (int id = 1; ; id++)
                {
                    inFlight.set(id);
                    try
                    {
                        client.insert("landed", new ByteArrayInputStream(batch(id)), ClickHouseFormat.RowBinary,
                            new InsertSettings().setDeduplicationToken("batch-" + id)).get(60, TimeUnit.SECONDS).close();
                    }
                    catch (final Exception e)
                    {
                        return;
                    }
                    acked.add(id);
                }
            });
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (acked.size() < 6 && System.nanoTime() < deadline)
            {
                Thread.sleep(5);
            }
            Thread.sleep(17);
            Pids.kill9(server.process().pid());
            writer.join(TimeUnit.SECONDS.toMillis(60));
            assertThat(writer.isAlive()).isFalse();
        }
        assertThat(acked).hasSizeGreaterThanOrEqualTo(6);
        final int unacked = inFlight.get();
        assertThat(acked).doesNotContain(unacked);

        server.restart();
        try (Client client = server.client())
        {
            final List<GenericRecord> perBatch = client.queryAll(
                "SELECT version, count() FROM landed GROUP BY version ORDER BY version");
            for (final GenericRecord r : perBatch)
            {
                assertThat(r.getLong(2)).as("batch %d is whole", r.getLong(1)).isEqualTo(BATCH_ROWS);
            }
            final Set<Long> landed = ConcurrentHashMap.newKeySet();
            perBatch.forEach(r -> landed.add(r.getLong(1)));
            for (final int id : acked)
            {
                assertThat(landed).as("acknowledged batch %d", id).contains((long)id);
            }
            assertThat(landed.size()).isBetween(acked.size(), acked.size() + 1);

            // The engine's recovery: re-send the unacknowledged batch with its token; it lands exactly once.
            client.insert("landed", new ByteArrayInputStream(batch(unacked)), ClickHouseFormat.RowBinary,
                new InsertSettings().setDeduplicationToken("batch-" + unacked)).get(60, TimeUnit.SECONDS).close();
            assertThat(TestServer.scalar(client, "SELECT count() FROM landed WHERE version = " + unacked))
                .isEqualTo(BATCH_ROWS);
            assertThat(TestServer.scalar(client, "SELECT count() FROM landed"))
                .isEqualTo((long)BATCH_ROWS * (acked.size() + 1));
        }
    }
}
