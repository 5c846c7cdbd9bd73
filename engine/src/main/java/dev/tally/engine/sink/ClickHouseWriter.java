package dev.tally.engine.sink;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.ClientConfigProperties;
import com.clickhouse.client.api.insert.InsertResponse;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.data.ClickHouseFormat;
import dev.tally.journal.Journal;
import dev.tally.journal.PayloadChecksum;
import dev.tally.journal.PendingBatch;
import org.agrona.ErrorHandler;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.NanoClock;
import org.agrona.concurrent.SystemNanoClock;

/**
 * The last pipeline stage: takes batches from {@link BatchQueues#full()} in order, inserts each into ClickHouse as
 * RowBinary with a deduplication token derived from its bytes ({@link BatchToken}), and returns it to
 * {@link BatchQueues#free()} once ClickHouse has acknowledged it.
 * <p>
 * A failed attempt (error response, lost connection, timeout of the client) is retried with the same bytes and the
 * same token, after an exponential backoff capped at {@link Settings#maxBackoffNanos()}, for as long as the agent
 * runs; a batch is never dropped and the next one waits. An insert that was applied but not acknowledged is thus
 * re-sent with its token and ClickHouse skips it, so each batch lands exactly once (within the table's
 * {@code non_replicated_deduplication_window}). Failed attempts are reported to {@link WriterListener#onRetry} only;
 * the {@link ErrorHandler} hears of unexpected errors alone (a listener that throws), since a caller may treat
 * anything it receives as fatal.
 * <p>
 * {@link #doWork()} never blocks: the insert runs on the client's operation executor (forced per request) and is
 * polled, and the backoff is a deadline, so the agent's idle strategy does the waiting and closing the agent returns
 * at once, abandoning an insert in flight (its batch is kept out of the free pool). The client should be built with
 * {@code setMaxRetries(0)}; its socket timeout bounds how long one attempt can hang.
 * <p>
 * With a {@link Journal} (exactly-once mode) each batch is journaled as prepared, with its bytes and token, before
 * its first byte is sent, and as acknowledged once ClickHouse acked it, before its checkpoint goes on to the consumer
 * thread. The batches a previous run prepared and never saw acknowledged are re-sent first, byte-identical and with
 * their journaled token, before any new batch: their fate is unknown, and the token makes a second landing a no-op.
 * <p>
 * Invariant: at most one batch is owned (polled from full, not yet back in free) and at most one insert is in flight.
 */
public final class ClickHouseWriter implements Agent
{
    private final Client client;
    private final BatchQueues queues;
    private final WriterListener listener;
    private final ErrorHandler errorHandler;
    private final Settings settings;
    private final NanoClock clock;
    private final InsertSettings insertSettings = new InsertSettings();
    private final String[] qualifiedTables = new String[Batch.TABLES];
    private final Journal journal;
    private final PayloadChecksum checksum = new PayloadChecksum();
    private final ArrayDeque<PendingBatch> recovery = new ArrayDeque<>();

    // The insert being attempted: a batch from the encoder, or a journaled one being recovered (batch == null).
    private Batch batch;
    private PendingBatch recovering;
    private byte[] body;
    private int bodyLength;
    private int table;
    private CompletableFuture<InsertResponse> inFlight;
    private long firstAttemptNanos;
    private long nextAttemptNanos;
    private long backoffNanos;
    private volatile boolean closed;

    // Counters: written by the writer thread only, read by any thread.
    private volatile long batchesInserted;
    private volatile long rowsInserted;
    private volatile long bytesInserted;
    private volatile long retries;
    private volatile long batchesRecovered;

    /**
     * How the writer inserts.
     *
     * @param asyncInsert         send {@code async_insert=1, wait_for_async_insert=1, async_insert_deduplicate=1}
     * @param initialBackoffNanos wait before the first retry of a batch
     * @param maxBackoffNanos     cap of the doubling wait between retries
     * @param deduplicate         send each batch with its token; false sends plain inserts with
     *                            {@code insert_deduplicate=0} (the at-least-once baseline)
     */
    public record Settings(boolean asyncInsert, long initialBackoffNanos, long maxBackoffNanos, boolean deduplicate)
    {
        public Settings
        {
            if (initialBackoffNanos <= 0 || maxBackoffNanos < initialBackoffNanos)
            {
                throw new IllegalArgumentException("need 0 < initial backoff <= max backoff, not " +
                    initialBackoffNanos + " / " + maxBackoffNanos);
            }
        }

        /** Synchronous inserts, retries after 10 ms doubling up to 5 s. */
        public static Settings defaults()
        {
            return new Settings(false, TimeUnit.MILLISECONDS.toNanos(10), TimeUnit.SECONDS.toNanos(5), true);
        }

        public Settings withAsyncInsert(final boolean asyncInsert)
        {
            return new Settings(asyncInsert, initialBackoffNanos, maxBackoffNanos, deduplicate);
        }

        public Settings withBackoff(final long initialNanos, final long maxNanos)
        {
            return new Settings(asyncInsert, initialNanos, maxNanos, deduplicate);
        }

        public Settings withDeduplicate(final boolean deduplicate)
        {
            return new Settings(asyncInsert, initialBackoffNanos, maxBackoffNanos, deduplicate);
        }
    }

    public ClickHouseWriter(final Client client, final String database, final BatchQueues queues,
        final WriterListener listener, final ErrorHandler errorHandler, final Settings settings)
    {
        this(client, database, queues, listener, errorHandler, settings, null, SystemNanoClock.INSTANCE);
    }

    /**
     * @param journal the write-ahead journal, or null to insert without one; its pending batches are read here and
     *                re-sent before anything else
     */
    public ClickHouseWriter(final Client client, final String database, final BatchQueues queues,
        final WriterListener listener, final ErrorHandler errorHandler, final Settings settings,
        final Journal journal, final NanoClock clock)
    {
        if (journal != null && !settings.deduplicate())
        {
            throw new IllegalArgumentException("a journal needs deduplication tokens to make re-sends idempotent");
        }
        this.journal = journal;
        if (journal != null)
        {
            recovery.addAll(journal.pending());
        }
        this.client = client;
        this.queues = queues;
        this.listener = listener;
        this.errorHandler = errorHandler;
        this.settings = settings;
        this.clock = clock;
        ClickHouseSchema.checkIdentifier(database);
        for (int table = 0; table < Batch.TABLES; table++)
        {
            qualifiedTables[table] = database + "." + Batch.tableName(table);
        }
        // Run each insert on the client's executor whatever the client's default, so doWork() only polls it.
        insertSettings.setOption(ClientConfigProperties.ASYNC_OPERATIONS.getKey(), Boolean.TRUE);
        if (settings.asyncInsert())
        {
            insertSettings.serverSetting("async_insert", "1");
            insertSettings.serverSetting("wait_for_async_insert", "1");
            insertSettings.serverSetting("async_insert_deduplicate", settings.deduplicate() ? "1" : "0");
        }
        if (!settings.deduplicate())
        {
            insertSettings.serverSetting("insert_deduplicate", "0");
        }
    }

    public String roleName()
    {
        return "clickhouse-writer";
    }

    public int doWork()
    {
        if (closed)
        {
            return 0;
        }
        if (body == null)
        {
            if (!recovery.isEmpty())
            {
                beginRecovered(recovery.poll());
                return 1;
            }
            final Batch next = queues.full().poll();
            if (next == null)
            {
                return 0;
            }
            if (next.rows() == 0)
            {
                // Only a checkpoint rides on it: acknowledged, in order, without an insert.
                firstAttemptNanos = clock.nanoTime();
                acknowledged(next);
                return 1;
            }
            begin(next);
            return 1;
        }
        if (inFlight != null)
        {
            return inFlight.isDone() ? complete() : 0;
        }
        if (clock.nanoTime() - nextAttemptNanos >= 0)
        {
            send();
            return 1;
        }
        return 0;
    }

    /** Stops retrying; an insert in flight is abandoned and its batch is not returned to the free pool. */
    public void onClose()
    {
        closed = true;
    }

    public long batchesInserted()
    {
        return batchesInserted;
    }

    public long rowsInserted()
    {
        return rowsInserted;
    }

    /** Body bytes of acknowledged batches. */
    public long bytesInserted()
    {
        return bytesInserted;
    }

    /** Failed attempts, each followed by a retry of the same batch. */
    public long retries()
    {
        return retries;
    }

    /** Journaled batches of an earlier run re-sent and acknowledged. */
    public long batchesRecovered()
    {
        return batchesRecovered;
    }

    /** True once every journaled batch of an earlier run has been re-sent and acknowledged. */
    public boolean recovered()
    {
        return recovery.isEmpty() && recovering == null;
    }

    private void begin(final Batch next)
    {
        batch = next;
        body = next.array();
        bodyLength = next.length();
        table = next.table();
        final String token = settings.deduplicate() ? BatchToken.of(next) : null;
        if (token != null)
        {
            insertSettings.setDeduplicationToken(token);
        }
        if (journal != null)
        {
            journal.prepared(next.batchId(), next.table(), token, next.rows(),
                checksum.crc32c(next.body(), 0, next.length()), next.body(), 0, next.length());
            CrashPoint.AFTER_PREPARE.reached();
        }
        start();
    }

    private void beginRecovered(final PendingBatch pending)
    {
        recovering = pending;
        body = pending.payload().byteArray();
        bodyLength = pending.payload().capacity();
        table = pending.table();
        insertSettings.setDeduplicationToken(pending.token().toString());
        start();
    }

    private void start()
    {
        firstAttemptNanos = clock.nanoTime();
        backoffNanos = settings.initialBackoffNanos();
        send();
    }

    private void send()
    {
        try
        {
            final InputStream in = CrashPoint.MID_INSERT.due() ?
                new HaltingInputStream(body, bodyLength) : new ByteArrayInputStream(body, 0, bodyLength);
            inFlight = client.insert(qualifiedTables[table], in, ClickHouseFormat.RowBinary, insertSettings);
        }
        catch (final RuntimeException e)
        {
            failed(e);
        }
    }

    private int complete()
    {
        final CompletableFuture<InsertResponse> done = inFlight;
        inFlight = null;
        final InsertResponse response;
        try
        {
            response = done.join();
        }
        catch (final CompletionException e)
        {
            failed(e.getCause() != null ? e.getCause() : e);
            return 1;
        }
        catch (final CancellationException e)
        {
            failed(e);
            return 1;
        }
        response.close();

        body = null;
        if (recovering != null)
        {
            final PendingBatch recovered = recovering;
            recovering = null;
            CrashPoint.DURING_RECOVERY.reached();
            journal.acknowledged(recovered.batchId());
            batchesRecovered = batchesRecovered + 1;
            return 1;
        }
        final Batch inserted = batch;
        batch = null;
        batchesInserted = batchesInserted + 1;
        rowsInserted = rowsInserted + inserted.rows();
        bytesInserted = bytesInserted + inserted.length();
        CrashPoint.AFTER_INSERT.reached();
        if (journal != null)
        {
            journal.acknowledged(inserted.batchId());
            if (inserted.hasCheckpoint())
            {
                CrashPoint.AFTER_JOURNAL_ACK.reached();
            }
        }
        acknowledged(inserted);
        return 1;
    }

    private void acknowledged(final Batch inserted)
    {
        try
        {
            listener.onInserted(inserted, clock.nanoTime() - firstAttemptNanos);
        }
        catch (final RuntimeException e)
        {
            errorHandler.onError(e);
        }
        if (!queues.free().offer(inserted))
        {
            throw new IllegalStateException("free pool is full: a batch was returned twice");
        }
    }

    private void failed(final Throwable cause)
    {
        retries = retries + 1;
        nextAttemptNanos = clock.nanoTime() + backoffNanos;
        backoffNanos = Math.min(backoffNanos * 2, settings.maxBackoffNanos());
        try
        {
            listener.onRetry(batch, cause); // null while a journaled batch is re-sent
        }
        catch (final RuntimeException e)
        {
            errorHandler.onError(e);
        }
    }
}
