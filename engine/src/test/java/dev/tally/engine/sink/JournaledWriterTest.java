package dev.tally.engine.sink;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.data.ClickHouseFormat;
import dev.tally.journal.Journal;
import dev.tally.journal.JournalConfig;
import dev.tally.journal.PayloadChecksum;
import dev.tally.journal.PendingBatch;
import dev.tally.stack.Ports;
import dev.tally.stack.ServiceProcess;
import dev.tally.stack.clickhouse.Fault;
import dev.tally.stack.clickhouse.LocalClickHouse;
import org.agrona.concurrent.SystemNanoClock;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The writer with its write-ahead journal: a batch is journaled before its first byte leaves, acknowledged in the
 * journal once ClickHouse acked it, and the batches an earlier run left unacknowledged are re-sent first, byte for
 * byte under their journaled token, so one that had landed does not land twice. The at-least-once baseline's plain
 * inserts, by contrast, land twice when sent twice.
 */
class JournaledWriterTest
{
    private static final int ROWS = 200;

    @TempDir
    static Path dir;
    private static ServiceProcess server;
    private static Client client;
    private static final AtomicInteger NAMES = new AtomicInteger();

    private final List<Long> inserted = new CopyOnWriteArrayList<>();
    private final List<Throwable> errors = new CopyOnWriteArrayList<>();
    private final WriterListener listener = new WriterListener()
    {
        public void onInserted(final Batch batch, final long latencyNanos)
        {
            inserted.add(batch.batchId());
        }

        public void onRetry(final Batch batch, final Throwable cause)
        {
        }
    };

    @BeforeAll
    static void startServer()
    {
        server = LocalClickHouse.start("clickhouse-journaled-writer", Ports.freePort(), dir.resolve("data"),
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
            LocalClickHouse.stop(server);
        }
    }

    @Test
    void pendingBatchesOfAnEarlierRunAreResentFirstAndLandOnce() throws Exception
    {
        final String db = database();
        final Path journalDir = dir.resolve("journal-" + db);
        final Batch landed = rollupBatch(new Batch(1024), 1, ROWS);
        final Batch lost = rollupBatch(new Batch(1024), 2, ROWS);
        try (Journal journal = Journal.open(journalDir, JournalConfig.defaults()))
        {
            prepare(journal, landed);
            prepare(journal, lost);
        }
        // The earlier run's first batch reached ClickHouse (its ack was lost); the second never did.
        insertRaw(db, landed, BatchToken.of(landed));
        assertThat(count(db)).isEqualTo(ROWS);

        try (Journal journal = Journal.open(journalDir, JournalConfig.defaults()))
        {
            assertThat(journal.pendingCount()).isEqualTo(2);
            final BatchQueues queues = new BatchQueues(4, 1024);
            final ClickHouseWriter writer = writer(db, queues, ClickHouseWriter.Settings.defaults(), journal);
            assertThat(writer.recovered()).isFalse();
            final Batch fresh = rollupBatch(queues.free().poll(), 3, ROWS);
            assertThat(queues.full().offer(fresh)).isTrue();

            runUntil(writer, () -> inserted.contains(3L));

            assertThat(writer.recovered()).isTrue();
            assertThat(writer.batchesRecovered()).isEqualTo(2);
            assertThat(journal.pendingCount()).isZero();
            assertThat(count(db)).as("each of the three batches once").isEqualTo(3L * ROWS);
            assertThat(countOf(db, 1)).isEqualTo(ROWS);
            assertThat(countOf(db, 2)).isEqualTo(ROWS);
            assertThat(errors).isEmpty();
        }
    }

    @Test
    void aBatchIsInTheJournalBeforeItsFirstAttemptAndLeavesItOnlyWhenAcknowledged() throws Exception
    {
        final String db = database();
        try (Journal journal = Journal.open(dir.resolve("journal-" + db), JournalConfig.defaults()))
        {
            final BatchQueues queues = new BatchQueues(4, 1024);
            final ClickHouseWriter writer = writer(db, queues, ClickHouseWriter.Settings.defaults()
                .withBackoff(TimeUnit.MILLISECONDS.toNanos(5), TimeUnit.MILLISECONDS.toNanos(20)), journal);
            LocalClickHouse.injectFault(server.port(), Fault.FAIL_BEFORE_APPLY, 3);
            final Batch batch = rollupBatch(queues.free().poll(), 7, ROWS);
            final String token = BatchToken.of(batch);
            final byte[] bytes = new byte[batch.length()];
            batch.body().getBytes(0, bytes);
            assertThat(queues.full().offer(batch)).isTrue();

            assertThat(writer.doWork()).isOne();
            final List<PendingBatch> pending = journal.pending();
            assertThat(pending).hasSize(1);
            assertThat(pending.getFirst().batchId()).isEqualTo(7);
            assertThat(pending.getFirst().token().toString()).isEqualTo(token);
            final byte[] journaled = new byte[pending.getFirst().payload().capacity()];
            pending.getFirst().payload().getBytes(0, journaled);
            assertThat(journaled).isEqualTo(bytes);

            runUntil(writer, () -> inserted.contains(7L));
            assertThat(writer.retries()).isEqualTo(3);
            assertThat(journal.pendingCount()).isZero();
            assertThat(count(db)).isEqualTo(ROWS);
        }
        finally
        {
            LocalClickHouse.clearFaults(server.port());
        }
    }

    @Test
    void theBaselinesPlainInsertsLandTwiceWhenSentTwice() throws Exception
    {
        final String db = plainDatabase();
        final ClickHouseWriter.Settings plain = ClickHouseWriter.Settings.defaults().withDeduplicate(false);
        final BatchQueues queues = new BatchQueues(4, 1024);
        final ClickHouseWriter writer = writer(db, queues, plain, null);
        for (int i = 0; i < 2; i++)
        {
            assertThat(queues.full().offer(rollupBatch(queues.free().poll(), 9, ROWS))).isTrue();
            final int expected = i + 1;
            runUntil(writer, () -> inserted.size() == expected);
        }
        assertThat(count(db)).as("no token, insert_deduplicate=0: the same bytes twice are two inserts")
            .isEqualTo(2L * ROWS);

        try (Journal journal = Journal.open(dir.resolve("journal-plain"), JournalConfig.defaults()))
        {
            assertThatThrownBy(() -> writer(db, queues, plain, journal))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("deduplication tokens");
        }
    }

    /**
     * Why the baseline's tables remember no inserts: on the local server, {@code insert_deduplicate=0} does not stop a
     * table with a deduplication window from dropping an identical block (docs/exactly-once.md).
     */
    @Test
    void insertDeduplicateZeroAloneStillDropsAnIdenticalBlockOnATableWithAWindow() throws Exception
    {
        final String db = SinkTables.plainDatabase(client, "tally_j" + NAMES.incrementAndGet(), 1000);
        final BatchQueues queues = new BatchQueues(4, 1024);
        final ClickHouseWriter writer =
            writer(db, queues, ClickHouseWriter.Settings.defaults().withDeduplicate(false), null);
        for (int i = 0; i < 2; i++)
        {
            assertThat(queues.full().offer(rollupBatch(queues.free().poll(), 11, ROWS))).isTrue();
            final int expected = i + 1;
            runUntil(writer, () -> inserted.size() == expected);
        }
        assertThat(count(db)).isEqualTo(ROWS);
    }

    private ClickHouseWriter writer(final String db, final BatchQueues queues, final ClickHouseWriter.Settings s,
        final Journal journal)
    {
        return new ClickHouseWriter(client, db, queues, listener, errors::add, s, journal, SystemNanoClock.INSTANCE);
    }

    private static void prepare(final Journal journal, final Batch batch)
    {
        journal.prepared(batch.batchId(), batch.table(), BatchToken.of(batch), batch.rows(),
            new PayloadChecksum().crc32c(batch.body(), 0, batch.length()), batch.body(), 0, batch.length());
    }

    private static String database()
    {
        final String db = "tally_j" + NAMES.incrementAndGet();
        ClickHouseSchema.create(client, db);
        return db;
    }

    /** A plain MergeTree remembering no inserts (as the baseline's tables), so a duplicate can never be merged away. */
    private static String plainDatabase() throws Exception
    {
        return SinkTables.plainDatabase(client, "tally_j" + NAMES.incrementAndGet(), 0);
    }

    private static Batch rollupBatch(final Batch batch, final long batchId, final int rows)
    {
        return SinkTables.rollupBatch(batch, batchId, rows);
    }

    private static void insertRaw(final String db, final Batch batch, final String token) throws Exception
    {
        client.insert(db + ".rollup_minute", new ByteArrayInputStream(batch.array(), 0, batch.length()),
            ClickHouseFormat.RowBinary, new InsertSettings().setDeduplicationToken(token))
            .get(60, TimeUnit.SECONDS).close();
    }

    private static long count(final String db)
    {
        return SinkTables.count(client, db);
    }

    private static long countOf(final String db, final long batchId)
    {
        return SinkTables.countOf(client, db, batchId);
    }

    private void runUntil(final ClickHouseWriter writer, final BooleanSupplier done)
    {
        final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (!done.getAsBoolean())
        {
            assertThat(errors).isEmpty();
            assertThat(System.nanoTime()).as("writer finished in time").isLessThan(deadline);
            if (writer.doWork() == 0)
            {
                Thread.onSpinWait();
            }
        }
    }
}
