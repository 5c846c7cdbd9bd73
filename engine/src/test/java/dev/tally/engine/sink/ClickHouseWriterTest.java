package dev.tally.engine.sink;

import java.io.ByteArrayInputStream;
import java.nio.ByteOrder;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.data.ClickHouseFormat;
import dev.tally.engine.window.SideOutputSink;
import dev.tally.stack.Ports;
import dev.tally.stack.ServiceProcess;
import dev.tally.stack.clickhouse.Fault;
import dev.tally.stack.clickhouse.LocalClickHouse;
import org.agrona.concurrent.AgentRunner;
import org.agrona.concurrent.BackoffIdleStrategy;
import org.agrona.concurrent.CachedNanoClock;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** The writer against the local server with injected faults: every batch lands exactly once, in order. */
class ClickHouseWriterTest
{
    private static final long WINDOW = SinkTables.WINDOW;
    private static final int ROWS = 300;
    private static final int BATCH_ID_AT = 4 + 8 + 3 + 2 + 8 + 16 + 8;
    private static final ClickHouseWriter.Settings FAST = ClickHouseWriter.Settings.defaults()
        .withBackoff(TimeUnit.MILLISECONDS.toNanos(5), TimeUnit.MILLISECONDS.toNanos(50));

    @TempDir
    static Path dir;
    private static ServiceProcess server;
    private static Client client;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    private final List<Throwable> retried = new CopyOnWriteArrayList<>();
    private final List<Long> insertedMarkers = new CopyOnWriteArrayList<>();
    private final WriterListener listener = new WriterListener()
    {
        public void onInserted(final Batch batch, final long latencyNanos)
        {
            assertThat(latencyNanos).isPositive();
            insertedMarkers.add(marker(batch));
        }

        public void onRetry(final Batch batch, final Throwable cause)
        {
            retried.add(cause);
        }
    };
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();

    @BeforeAll
    static void startServer()
    {
        server = LocalClickHouse.start("clickhouse-writer-test", Ports.freePort(), dir.resolve("data"),
            dir.resolve("clickhouse.log"), LocalClickHouse.Options.defaults().withFaults());
        client = new Client.Builder().addEndpoint(server.endpoint()).setUsername("default").setPassword("")
            .setMaxRetries(0).setSocketTimeout(30, ChronoUnit.SECONDS).build();
    }

    @AfterAll
    static void stopServer()
    {
        try
        {
            if (client != null)
            {
                client.close();
            }
        }
        finally
        {
            if (server != null)
            {
                LocalClickHouse.stop(server);
            }
        }
    }

    @AfterEach
    void clearFaults()
    {
        LocalClickHouse.clearFaults(server.port());
    }

    @Test
    void tokenDependsOnTableBytesAndRowsOnly()
    {
        final Batch a = rollupBatch(new Batch(64), 1, 10);
        final Batch b = rollupBatch(new Batch(4096), 1, 10);
        assertThat(BatchToken.of(a)).isEqualTo(BatchToken.of(b)).matches("rollup_minute:[0-9a-f]{32}:10");
        b.body().putByte(b.length() - 1, (byte)(b.body().getByte(b.length() - 1) + 1));
        assertThat(BatchToken.of(b)).isNotEqualTo(BatchToken.of(a));
        final UnsafeBuffer body = new UnsafeBuffer(new byte[24]);
        assertThat(BatchToken.of("t", body, 23, 1)).isNotEqualTo(BatchToken.of("t", body, 24, 1))
            .isNotEqualTo(BatchToken.of("t", body, 23, 2)).isNotEqualTo(BatchToken.of("u", body, 23, 1));
    }

    @Test
    void batchInsertedOnceLandsOnceAlsoWithAsyncInsert() throws Exception
    {
        final String db = plainDatabase();
        final BatchQueues queues = new BatchQueues(2, 1024);
        final ClickHouseWriter writer = writer(db, queues, FAST);
        offer(queues, 1);
        runUntil(writer, queues::drained);
        final ClickHouseWriter async = writer(db, queues, FAST.withAsyncInsert(true));
        offer(queues, 2);
        runUntil(async, queues::drained);

        assertThat(count(db)).isEqualTo(2L * ROWS);
        assertThat(countOf(db, 1)).isEqualTo(ROWS);
        assertThat(writer.batchesInserted()).isEqualTo(1);
        assertThat(writer.rowsInserted()).isEqualTo(ROWS);
        assertThat(writer.bytesInserted()).isEqualTo((long)ROWS * RollupRowEncoder.ROW_LENGTH);
        assertThat(writer.retries() + async.retries()).isZero();
        assertThat(insertedMarkers).containsExactly(1L, 2L);
        assertThat(errors).isEmpty();
    }

    @Test
    void failureBeforeApplyIsRetriedIntoExactlyOneCopy() throws Exception
    {
        final String db = plainDatabase();
        final BatchQueues queues = new BatchQueues(2, 1024);
        final ClickHouseWriter writer = writer(db, queues, FAST);
        final long firedBefore = fired(Fault.FAIL_BEFORE_APPLY);
        LocalClickHouse.injectFault(server.port(), Fault.FAIL_BEFORE_APPLY, 2);
        offer(queues, 7);
        runUntil(writer, queues::drained);

        assertThat(fired(Fault.FAIL_BEFORE_APPLY) - firedBefore).isEqualTo(2);
        assertThat(writer.retries()).isEqualTo(2);
        assertThat(retried).hasSize(2).allSatisfy(t -> assertThat(t).hasMessageContaining("1002"));
        assertThat(errors).isEmpty();
        assertThat(writer.batchesInserted()).isEqualTo(1);
        assertThat(count(db)).isEqualTo(ROWS);
    }

    @Test
    void lostAckIsRetriedWithTheSameTokenAndSkipped() throws Exception
    {
        final String db = plainDatabase();
        final BatchQueues queues = new BatchQueues(2, 1024);
        final ClickHouseWriter writer = writer(db, queues, FAST);
        final long firedBefore = fired(Fault.LOSE_ACK);
        LocalClickHouse.injectFault(server.port(), Fault.LOSE_ACK, 1);
        final Batch sent = offer(queues, 9);
        final byte[] bytes = java.util.Arrays.copyOf(sent.array(), sent.length());
        final String token = BatchToken.of(sent);
        runUntil(writer, queues::drained);

        // The first attempt was applied and its ack lost; the retry was acknowledged but added nothing.
        assertThat(fired(Fault.LOSE_ACK) - firedBefore).isEqualTo(1);
        assertThat(writer.retries()).isGreaterThanOrEqualTo(1).isEqualTo(retried.size());
        assertThat(writer.batchesInserted()).isEqualTo(1);
        assertThat(errors).isEmpty();
        assertThat(count(db)).isEqualTo(ROWS);

        // It is the token that made the retry a no-op: the same bytes under another token do land again.
        insertRaw(db, bytes, token);
        assertThat(count(db)).isEqualTo(ROWS);
        insertRaw(db, bytes, token + ":other");
        assertThat(count(db)).isEqualTo(2L * ROWS);
    }

    @Test
    void batchesComeBackInOrderThroughRetriesAndTables() throws Exception
    {
        final String db = "tally_w" + DATABASES.incrementAndGet();
        ClickHouseSchema.create(client, db);
        final BatchQueues queues = new BatchQueues(4, 1024);
        final ClickHouseWriter writer = writer(db, queues, FAST);
        LocalClickHouse.injectLatency(server.port(), Duration.ofMillis(150), 1);
        LocalClickHouse.injectFault(server.port(), Fault.FAIL_BEFORE_APPLY, 2);
        final List<Batch> offered = new ArrayList<>();
        final AgentRunner runner = new AgentRunner(new BackoffIdleStrategy(1, 1, 1_000, 1_000_000),
            errors::add, null, writer);
        AgentRunner.startOnThread(runner);
        try
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
            for (int i = 0; i < 12; i++)
            {
                Batch batch;
                while ((batch = queues.free().poll()) == null)
                {
                    assertThat(System.nanoTime()).isLessThan(deadline);
                    Thread.onSpinWait();
                }
                if (i % 3 == 2)
                {
                    lateBatch(batch, i);
                }
                else
                {
                    rollupBatch(batch, i, ROWS);
                }
                offered.add(batch);
                assertThat(queues.full().offer(batch)).isTrue();
            }
            waitFor(queues::drained);
        }
        finally
        {
            runner.close();
        }

        assertThat(insertedMarkers).containsExactly(0L, 1L, 2L, 3L, 4L, 5L, 6L, 7L, 8L, 9L, 10L, 11L);
        final List<Batch> freeOrder = new ArrayList<>();
        queues.free().drain(freeOrder::add);
        assertThat(freeOrder).containsExactlyElementsOf(offered.subList(8, 12));
        assertThat(writer.retries()).isEqualTo(2);
        assertThat(writer.batchesInserted()).isEqualTo(12);
        assertThat(errors).isEmpty();
        assertThat(client.queryAll("SELECT toInt64(count()) FROM " + db + ".rollup_minute").getFirst().getLong(1))
            .isEqualTo(8L * ROWS);
        assertThat(client.queryAll("SELECT toInt64(count()) FROM " + db + ".late_events").getFirst().getLong(1))
            .isEqualTo(4L * 10);
    }

    @Test
    void closingWhileClickHouseStallsReturnsPromptly() throws Exception
    {
        final String db = plainDatabase();
        final BatchQueues queues = new BatchQueues(2, 1024);
        final ClickHouseWriter writer = writer(db, queues, FAST);
        LocalClickHouse.injectFault(server.port(), Fault.STALL, 1);
        final Batch stalled = offer(queues, 3);
        final byte[] bytes = java.util.Arrays.copyOf(stalled.array(), stalled.length());
        final AgentRunner runner = new AgentRunner(new BackoffIdleStrategy(1, 1, 1_000, 1_000_000),
            errors::add, null, writer);
        AgentRunner.startOnThread(runner);
        waitFor(() -> LocalClickHouse.status(server.port()).contains("stalled_now=1"));

        final long start = System.nanoTime();
        runner.close();
        assertThat(System.nanoTime() - start).isLessThan(TimeUnit.SECONDS.toNanos(2));
        assertThat(writer.batchesInserted()).isZero();
        assertThat(queues.drained()).isFalse();

        // After a restart the same batch is sent again with the same token: one copy, whichever attempt applies.
        LocalClickHouse.clearFaults(server.port());
        final BatchQueues again = new BatchQueues(2, 1024);
        final Batch resent = again.free().poll();
        resent.reset(Batch.ROLLUP_MINUTE, 3).body().putBytes(0, bytes);
        for (int i = 0; i < ROWS; i++)
        {
            resent.appended(RollupRowEncoder.ROW_LENGTH, System.nanoTime());
        }
        again.full().offer(resent);
        runUntil(writer(db, again, FAST), again::drained);
        waitFor(() -> LocalClickHouse.status(server.port()).contains("stalled_now=0"));
        assertThat(count(db)).isEqualTo(ROWS);
    }

    @Test
    void backoffDoublesUpToTheCapAndStopsWhenClosed() throws Exception
    {
        final CachedNanoClock clock = new CachedNanoClock();
        clock.update(1_000_000);
        final BatchQueues queues = new BatchQueues(2, 1024);
        try (Client refused = new Client.Builder().addEndpoint("http://127.0.0.1:" + Ports.freePort())
            .setUsername("default").setPassword("").setMaxRetries(0).setConnectTimeout(2, ChronoUnit.SECONDS).build())
        {
            final ClickHouseWriter writer = new ClickHouseWriter(refused, "tally", queues, listener, errors::add,
                ClickHouseWriter.Settings.defaults().withBackoff(1_000, 4_000), null, clock);
            offer(queues, 1);
            final long[] gaps = {1_000, 2_000, 4_000, 4_000};
            for (int attempt = 1; attempt <= gaps.length; attempt++)
            {
                final long failures = attempt;
                runUntil(writer, () -> writer.retries() == failures);
                final long deadline = clock.nanoTime() + gaps[attempt - 1];
                clock.update(deadline - 1);
                idle(writer);
                assertThat(writer.retries()).as("no attempt before the backoff deadline").isEqualTo(attempt);
                clock.update(deadline);
                assertThat(writer.doWork()).as("attempt at the deadline").isEqualTo(1);
            }
            runUntil(writer, () -> writer.retries() == gaps.length + 1);
            writer.onClose();
            clock.update(clock.nanoTime() + 1_000_000_000L);
            idle(writer);
            assertThat(writer.retries()).isEqualTo(gaps.length + 1);
            assertThat(retried).hasSize(gaps.length + 1);
            assertThat(queues.drained()).as("the failing batch is kept, never dropped").isFalse();
            assertThat(queues.full().isEmpty()).isTrue();
            assertThat(errors).isEmpty();
        }
    }

    /** Calls doWork for a while, expecting no work: nothing is due and nothing is in flight. */
    private static void idle(final ClickHouseWriter writer) throws InterruptedException
    {
        for (int i = 0; i < 20; i++)
        {
            assertThat(writer.doWork()).isZero();
            Thread.sleep(2);
        }
    }

    private ClickHouseWriter writer(final String db, final BatchQueues queues, final ClickHouseWriter.Settings s)
    {
        return new ClickHouseWriter(client, db, queues, listener, errors::add, s);
    }

    /** A database whose rollup_minute is a plain MergeTree, so a duplicate insert can never be merged away. */
    private static String plainDatabase() throws Exception
    {
        return SinkTables.plainDatabase(client, "tally_w" + DATABASES.incrementAndGet(), 1000);
    }

    private static Batch offer(final BatchQueues queues, final long batchId)
    {
        final Batch batch = rollupBatch(queues.free().poll(), batchId, ROWS);
        assertThat(queues.full().offer(batch)).isTrue();
        return batch;
    }

    private static Batch rollupBatch(final Batch batch, final long batchId, final int rows)
    {
        return SinkTables.rollupBatch(batch, batchId, rows);
    }

    private static void lateBatch(final Batch batch, final long marker)
    {
        batch.reset(Batch.LATE_EVENTS, marker);
        final UnsafeBuffer raw = new UnsafeBuffer(new byte[] {'{', '\n', '\n', '}'});
        for (int i = 0; i < 10; i++)
        {
            batch.body().checkLimit(batch.length() + LateEventEncoder.length(4, SideOutputSink.LATE));
            final int next = LateEventEncoder.encode(batch.body(), batch.length(), 1, marker * 1_000 + i, 0,
                SideOutputSink.LATE, WINDOW, 7, 0x4445, 12, raw, 0, 4, WINDOW + 600_000);
            batch.appended(next - batch.length(), System.nanoTime());
        }
    }

    /** The batch_id of a rollup batch's first row, or the offset of a late-events batch's first row / 1000. */
    private static long marker(final Batch batch)
    {
        return batch.table() == Batch.LATE_EVENTS ? batch.body().getLong(2, ByteOrder.LITTLE_ENDIAN) / 1_000 :
            batch.body().getLong(BATCH_ID_AT, ByteOrder.LITTLE_ENDIAN);
    }

    private static void insertRaw(final String db, final byte[] bytes, final String token) throws Exception
    {
        client.insert(db + ".rollup_minute", new ByteArrayInputStream(bytes), ClickHouseFormat.RowBinary,
            new InsertSettings().setDeduplicationToken(token)).get(60, TimeUnit.SECONDS).close();
    }

    private static long count(final String db)
    {
        return SinkTables.count(client, db);
    }

    private static long countOf(final String db, final long batchId)
    {
        return SinkTables.countOf(client, db, batchId);
    }

    private static long fired(final Fault fault)
    {
        final String key = fault.wireName() + "_fired=";
        for (final String line : LocalClickHouse.status(server.port()).split("\n"))
        {
            if (line.startsWith(key))
            {
                return Long.parseLong(line.substring(key.length()).trim());
            }
        }
        throw new AssertionError("no " + key + " in the server status");
    }

    private static void runUntil(final ClickHouseWriter writer, final BooleanSupplier done)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!done.getAsBoolean())
        {
            assertThat(System.nanoTime()).as("writer finished in time").isLessThan(deadline);
            if (writer.doWork() == 0)
            {
                Thread.onSpinWait();
            }
        }
    }

    private static void waitFor(final BooleanSupplier condition) throws InterruptedException
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(20);
        while (!condition.getAsBoolean())
        {
            assertThat(System.nanoTime()).as("condition met in time").isLessThan(deadline);
            Thread.sleep(5);
        }
    }
}
