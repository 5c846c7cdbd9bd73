package dev.tally.stack.clickhouse;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.insert.InsertResponse;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.data.ClickHouseFormat;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Each fault the engine must survive, followed by the engine's answer to it: a retry with the same token. */
class FaultInjectionTest
{
    private static final int ROWS = 5_000;
    @TempDir
    static Path dir;
    private static TestServer server;
    private static Client client;
    private static int table;

    @BeforeAll
    static void start()
    {
        server = TestServer.start(dir, LocalClickHouse.Options.defaults().withFaults());
        // No client-side retries: the test sees every fault and retries itself, as the engine does.
        client = server.client(b -> b.setMaxRetries(0));
    }

    @AfterEach
    void clear()
    {
        LocalClickHouse.clearFaults(server.port());
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

    private static String newTable() throws Exception
    {
        final String name = "faults_" + (++table);
        TestServer.execute(client, "CREATE TABLE " + name + " (" + RowBinaryRows.COLUMNS + ") " +
            "ENGINE = ReplacingMergeTree(version) ORDER BY (key, bucket) " +
            "SETTINGS non_replicated_deduplication_window = 100");
        return name;
    }

    private static CompletableFuture<InsertResponse> insert(final String tableName, final String token)
    {
        final RowBinaryRows rows = new RowBinaryRows();
        for (int i = 0; i < ROWS; i++)
        {
            rows.add("k" + i, 1_767_225_600L, BigInteger.valueOf(i), 1);
        }
        return client.insert(tableName, new ByteArrayInputStream(rows.bytes()), ClickHouseFormat.RowBinary,
            new InsertSettings().setDeduplicationToken(token));
    }

    private static long count(final String tableName)
    {
        return TestServer.scalar(client, "SELECT count() FROM " + tableName);
    }

    @Test
    void failureBeforeApplyThenRetryLeavesOneCopy() throws Exception
    {
        final String t = newTable();
        LocalClickHouse.injectFault(server.port(), Fault.FAIL_BEFORE_APPLY, 1);
        assertThatThrownBy(() -> insert(t, "tok-1").get(60, TimeUnit.SECONDS))
            .satisfies(e -> assertThat(HttpInterfaceTest.serverException(e).getCode()).isEqualTo(1002));
        assertThat(count(t)).isZero();

        insert(t, "tok-1").get(60, TimeUnit.SECONDS).close();
        assertThat(count(t)).isEqualTo(ROWS);
        assertThat(LocalClickHouse.status(server.port())).contains("fail_before_apply_fired=1");
    }

    @Test
    void lostAckThenRetryLeavesOneCopy() throws Exception
    {
        final String t = newTable();
        LocalClickHouse.injectFault(server.port(), Fault.LOSE_ACK, 1);
        assertThatThrownBy(() -> insert(t, "tok-2").get(60, TimeUnit.SECONDS)).isNotNull();
        assertThat(count(t)).as("the insert was applied although unacknowledged").isEqualTo(ROWS);

        insert(t, "tok-2").get(60, TimeUnit.SECONDS).close();
        assertThat(count(t)).as("the retry with the same token is a no-op").isEqualTo(ROWS);
        insert(t, "tok-3").get(60, TimeUnit.SECONDS).close();
        assertThat(count(t)).as("a new token is applied").isEqualTo(2L * ROWS);
        assertThat(LocalClickHouse.status(server.port())).contains("lose_ack_fired=1");
    }

    @Test
    void latencyDelaysTheInsert() throws Exception
    {
        final String t = newTable();
        LocalClickHouse.injectLatency(server.port(), Duration.ofMillis(700), 1);
        final long start = System.nanoTime();
        insert(t, "tok-4").get(60, TimeUnit.SECONDS).close();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start)).isGreaterThanOrEqualTo(700);
        final long again = System.nanoTime();
        insert(t, "tok-5").get(60, TimeUnit.SECONDS).close();
        assertThat(TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - again)).isLessThan(700);
    }

    @Test
    void stalledInsertHoldsUntilClearedWhileQueriesGoOn() throws Exception
    {
        final String t = newTable();
        LocalClickHouse.injectFault(server.port(), Fault.STALL, 1);
        // client-v2 sends synchronously by default, so the stalled insert needs a thread of its own.
        final CompletableFuture<InsertResponse> stalled = CompletableFuture.supplyAsync(() ->
            insert(t, "tok-6").join());
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!LocalClickHouse.status(server.port()).contains("stalled_now=1"))
        {
            assertThat(System.nanoTime()).isLessThan(deadline);
            Thread.sleep(20);
        }
        Thread.sleep(300);
        assertThat(stalled).isNotDone();
        assertThat(count(t)).isZero();

        LocalClickHouse.clearFaults(server.port());
        stalled.get(60, TimeUnit.SECONDS).close();
        assertThat(count(t)).isEqualTo(ROWS);
    }
}
