package dev.tally.engine.sink;

import java.io.ByteArrayInputStream;
import java.util.concurrent.CancellationException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.TimeUnit;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.ClientConfigProperties;
import com.clickhouse.client.api.insert.InsertResponse;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.data.ClickHouseFormat;
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

    private Batch batch;
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

    /**
     * How the writer inserts.
     *
     * @param asyncInsert         send {@code async_insert=1, wait_for_async_insert=1, async_insert_deduplicate=1}
     * @param initialBackoffNanos wait before the first retry of a batch
     * @param maxBackoffNanos     cap of the doubling wait between retries
     */
    public record Settings(boolean asyncInsert, long initialBackoffNanos, long maxBackoffNanos)
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
            return new Settings(false, TimeUnit.MILLISECONDS.toNanos(10), TimeUnit.SECONDS.toNanos(5));
        }

        public Settings withAsyncInsert(final boolean asyncInsert)
        {
            return new Settings(asyncInsert, initialBackoffNanos, maxBackoffNanos);
        }

        public Settings withBackoff(final long initialNanos, final long maxNanos)
        {
            return new Settings(asyncInsert, initialNanos, maxNanos);
        }
    }

    public ClickHouseWriter(final Client client, final String database, final BatchQueues queues,
        final WriterListener listener, final ErrorHandler errorHandler, final Settings settings)
    {
        this(client, database, queues, listener, errorHandler, settings, SystemNanoClock.INSTANCE);
    }

    public ClickHouseWriter(final Client client, final String database, final BatchQueues queues,
        final WriterListener listener, final ErrorHandler errorHandler, final Settings settings,
        final NanoClock clock)
    {
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
            insertSettings.serverSetting("async_insert_deduplicate", "1");
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
        if (batch == null)
        {
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

    private void begin(final Batch next)
    {
        batch = next;
        insertSettings.setDeduplicationToken(BatchToken.of(next));
        firstAttemptNanos = clock.nanoTime();
        backoffNanos = settings.initialBackoffNanos();
        send();
    }

    private void send()
    {
        try
        {
            inFlight = client.insert(qualifiedTables[batch.table()],
                new ByteArrayInputStream(batch.array(), 0, batch.length()), ClickHouseFormat.RowBinary,
                insertSettings);
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

        final Batch inserted = batch;
        batch = null;
        batchesInserted = batchesInserted + 1;
        rowsInserted = rowsInserted + inserted.rows();
        bytesInserted = bytesInserted + inserted.length();
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
            listener.onRetry(batch, cause);
        }
        catch (final RuntimeException e)
        {
            errorHandler.onError(e);
        }
    }
}
