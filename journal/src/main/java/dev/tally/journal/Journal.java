package dev.tally.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.lang.reflect.Proxy;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import net.openhft.chronicle.core.values.LongValue;
import net.openhft.chronicle.queue.ExcerptAppender;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import org.agrona.CloseHelper;
import org.agrona.DirectBuffer;

/**
 * The write-ahead journal of the ClickHouse writer, over a Chronicle Queue in one directory.
 * <p>
 * The writer thread calls {@link #prepared} before sending a batch and {@link #acknowledged} after ClickHouse acked
 * it; the consumer thread calls {@link #checkpointCommitted} after committing Kafka offsets. On open the journal
 * scans its entries; {@link #replayPending} then yields the prepared-but-unacknowledged batches in prepare order.
 * Appends are allocation-free in steady state and serialised by one lock, so the two threads may share a journal.
 * One process at a time: a file lock in the directory refuses a second opener.
 */
public final class Journal implements AutoCloseable
{
    /** {@link #lastCheckpointId()} when no checkpoint was ever journaled. */
    public static final long NO_CHECKPOINT = JournalState.NONE;

    /** The largest token {@link #prepared} accepts, in chars. */
    public static final int MAX_TOKEN_LENGTH = 1024;

    /** The JVM flag Chronicle's runtime code generation of method writers and readers needs. */
    public static final String CODEGEN_FLAG = "--add-exports=jdk.compiler/com.sun.tools.javac.file=ALL-UNNAMED";

    /**
     * How long an appender waits for Chronicle's queue write lock before forcing it. The directory lock makes this
     * process the only writer, so a held write lock found at open was left by a killed process: wait briefly.
     */
    static final long WRITE_LOCK_TIMEOUT_MS = 1_000;

    static final String RECOVERY_START_ID = "tally.journal.recovery-start";

    private final Object lock = new Object();
    private final Path dir;
    private final JournalConfig config;
    private final DirectoryLock directoryLock;
    private final SingleChronicleQueue queue;
    private final LongValue recoveryStart;
    private final ExcerptAppender appender;
    private final JournalEvents writer;
    private final PreparedEntry preparedEntry = new PreparedEntry();
    private final CheckpointEntry checkpointEntry = new CheckpointEntry();
    private final JournalState state;
    private final CyclePruner pruner;
    private final boolean sync;
    private final long entriesScanned;
    private boolean closed;

    private Journal(
        final Path dir,
        final JournalConfig config,
        final DirectoryLock directoryLock,
        final SingleChronicleQueue queue)
    {
        this.dir = dir;
        this.config = config;
        this.directoryLock = directoryLock;
        this.queue = queue;
        this.sync = SyncPolicy.SYNC == config.sync();
        this.recoveryStart = queue.indexForId(RECOVERY_START_ID);
        this.state = new JournalState();
        this.entriesScanned = RecoveryScan.scan(queue, recoveryStart.getValue() - 1, state);
        PendingReader.replay(queue, state, (batch) -> {});
        this.pruner = new CyclePruner(queue);
        this.appender = queue.createAppender();
        this.appender.singleThreadedCheckDisabled(true);
        // Bound to this appender: ExcerptAppender.methodWriter would write through the queue's per-thread appender.
        this.writer = queue.methodWriterBuilder(JournalEvents.class).marshallableOut(appender).build();
        if (Proxy.isProxyClass(writer.getClass()))
        {
            throw new IllegalStateException(
                "Chronicle could not generate the JournalEvents method writer; on JDK 17+ the JVM needs " +
                CODEGEN_FLAG + " (jvm.options)");
        }
    }

    /**
     * Opens (creating if needed) the journal in {@code dir} and recovers its state.
     *
     * @param dir    the journal directory.
     * @param config storage settings.
     * @return the open journal.
     * @throws IllegalStateException if another journal has {@code dir} open.
     */
    public static Journal open(final Path dir, final JournalConfig config)
    {
        try
        {
            Files.createDirectories(dir);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot create journal " + dir, ex);
        }
        final DirectoryLock directoryLock = DirectoryLock.acquire(dir);
        SingleChronicleQueue queue = null;
        try
        {
            queue = config.queueBuilder(dir).timeoutMS(WRITE_LOCK_TIMEOUT_MS).build();
            return new Journal(dir, config, directoryLock, queue);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietCloseAll(queue, directoryLock);
            throw ex;
        }
    }

    /**
     * Journals a batch before it is sent; returns once the entry is in the journal (and forced, under
     * {@link SyncPolicy#SYNC}). Copies the payload straight into the mapped file; allocation-free.
     *
     * @param batchId  unique id of the batch.
     * @param table    the table id.
     * @param token    the {@code insert_deduplication_token}, at most {@link #MAX_TOKEN_LENGTH} chars.
     * @param rows     the number of rows in the payload.
     * @param checksum {@link PayloadChecksum#crc32c} of the payload; recovery drops an entry that does not match.
     * @param payload  holds the RowBinary payload.
     * @param offset   of the payload in {@code payload}.
     * @param length   of the payload, at most {@link JournalConfig#maxPayloadBytes()}.
     */
    public void prepared(
        final long batchId,
        final int table,
        final CharSequence token,
        final int rows,
        final long checksum,
        final DirectBuffer payload,
        final int offset,
        final int length)
    {
        if (length < 0 || length > config.maxPayloadBytes())
        {
            throw new IllegalArgumentException(
                "payload length " + length + " outside [0, " + config.maxPayloadBytes() + "]");
        }
        if (token.length() > MAX_TOKEN_LENGTH)
        {
            throw new IllegalArgumentException("token longer than " + MAX_TOKEN_LENGTH + " chars");
        }
        payload.boundsCheck(offset, length);
        synchronized (lock)
        {
            checkOpen();
            preparedEntry.set(batchId, table, token, rows, checksum, payload, offset, length);
            try
            {
                writer.prepared(preparedEntry);
            }
            finally
            {
                preparedEntry.clear();
            }
            state.onPrepared(batchId, appender.lastIndexAppended());
            if (sync)
            {
                appender.sync();
            }
        }
    }

    /**
     * Journals that ClickHouse acknowledged a batch. An id that is not pending is journaled and otherwise ignored.
     *
     * @param batchId the id given to {@link #prepared}.
     */
    public void acknowledged(final long batchId)
    {
        synchronized (lock)
        {
            checkOpen();
            writer.acknowledged(batchId);
            state.onAcknowledged(batchId);
            if (sync)
            {
                appender.sync();
            }
        }
    }

    /**
     * Journals that Kafka offsets were committed for a checkpoint; cycles before it become prunable once their
     * batches are acknowledged.
     *
     * @param checkpointId the checkpoint id, increasing.
     * @param partitions   the partitions, in [0, count).
     * @param offsets      the committed offset of each partition, in [0, count).
     * @param count        the number of partitions.
     */
    public void checkpointCommitted(
        final long checkpointId, final int[] partitions, final long[] offsets, final int count)
    {
        if (count < 0 || count > partitions.length || count > offsets.length)
        {
            throw new IllegalArgumentException("count " + count + " exceeds the arrays");
        }
        synchronized (lock)
        {
            checkOpen();
            checkpointEntry.set(checkpointId, partitions, offsets, count);
            try
            {
                writer.checkpointCommitted(checkpointEntry);
            }
            finally
            {
                checkpointEntry.clear();
            }
            state.onCheckpoint(checkpointId, appender.lastIndexAppended(), partitions, offsets, count);
            if (sync)
            {
                appender.sync();
            }
            saveRecoveryStart();
        }
    }

    /**
     * Hands every batch that was prepared but not acknowledged to {@code handler}, in prepare order, its payload
     * verified against its checksum. May allocate (recovery path).
     *
     * @param handler receives the batches; the views it gets are valid only during each call.
     * @return the number of batches handed over.
     */
    public int replayPending(final PendingBatchHandler handler)
    {
        synchronized (lock)
        {
            checkOpen();
            return PendingReader.replay(queue, state, handler);
        }
    }

    /** @return copies of the pending batches, in prepare order. */
    public List<PendingBatch> pending()
    {
        final List<PendingBatch> batches = new ArrayList<>();
        replayPending((batch) -> batches.add(batch.copy()));
        return batches;
    }

    /** @return the number of batches prepared and not acknowledged. */
    public int pendingCount()
    {
        synchronized (lock)
        {
            return state.pendingCount();
        }
    }

    /** @return the id of the last committed checkpoint, or {@link #NO_CHECKPOINT}. */
    public long lastCheckpointId()
    {
        synchronized (lock)
        {
            return state.checkpointId();
        }
    }

    /** @return the last committed checkpoint with its offsets, or null when there is none; allocates. */
    public Checkpoint lastCheckpoint()
    {
        synchronized (lock)
        {
            return state.checkpoint();
        }
    }

    /** @return the prepared entries recovery found torn or damaged (never handed out as pending). */
    public long corruptEntries()
    {
        synchronized (lock)
        {
            return state.corruptEntries();
        }
    }

    /** @return how many entries the recovery scan on open read. */
    public long entriesScannedOnOpen()
    {
        return entriesScanned;
    }

    /**
     * Deletes the roll-cycle files whose entries are all acknowledged and older than the last committed checkpoint;
     * never the current cycle, never a cycle holding a pending batch.
     *
     * @return the number of files deleted.
     */
    public int prune()
    {
        synchronized (lock)
        {
            checkOpen();
            saveRecoveryStart();
            return pruner.deleteBefore(pruner.keepFrom(state, Math.max(queue.cycle(), queue.lastCycle())));
        }
    }

    /** @return the journal directory. */
    public Path directory()
    {
        return dir;
    }

    /** @return the configuration the journal was opened with. */
    public JournalConfig config()
    {
        return config;
    }

    /** Closes the queue and releases the directory; idempotent. */
    @Override
    public void close()
    {
        synchronized (lock)
        {
            if (closed)
            {
                return;
            }
            closed = true;
            CloseHelper.closeAll(appender, recoveryStart, queue, directoryLock);
        }
    }

    private void saveRecoveryStart()
    {
        final long start = state.recoveryStartIndex();
        recoveryStart.setValue(JournalState.NONE == start ? 0 : start + 1);
    }

    private void checkOpen()
    {
        if (closed)
        {
            throw new IllegalStateException("journal " + dir + " is closed");
        }
    }
}
