package dev.tally.engine.sink;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * One insert's worth of RowBinary rows for one table, passed from the encoder thread to the writer thread and back
 * through {@link BatchQueues}. Owned by exactly one thread at a time: the encoder while it fills the batch, the
 * writer from {@code full.offer} until it returns the batch to {@code free} (the queues publish the hand-over).
 */
public final class Batch
{
    public static final int ROLLUP_MINUTE = 0;
    public static final int ROLLUP_HOUR = 1;
    public static final int LATE_EVENTS = 2;
    public static final int TABLES = 3;

    private final ExpandableArrayBuffer body;
    private int table;
    private long batchId;
    private int length;
    private int rows;
    private long firstRowNanos;
    private final Checkpoint checkpoint = new Checkpoint();
    private boolean hasCheckpoint;

    public Batch(final int initialCapacity)
    {
        this.body = new ExpandableArrayBuffer(initialCapacity);
    }

    /** Empties the batch for {@code table}, to be written as batch {@code batchId}; the buffer keeps its capacity. */
    public Batch reset(final int table, final long batchId)
    {
        this.table = table;
        this.batchId = batchId;
        this.length = 0;
        this.rows = 0;
        this.firstRowNanos = 0;
        this.hasCheckpoint = false;
        return this;
    }

    public int table()
    {
        return table;
    }

    /** Attaches a checkpoint that becomes committable once this batch is acknowledged. */
    public void attach(final Checkpoint from)
    {
        checkpoint.copyFrom(from);
        hasCheckpoint = true;
    }

    public boolean hasCheckpoint()
    {
        return hasCheckpoint;
    }

    public Checkpoint checkpoint()
    {
        return checkpoint;
    }

    /** The id written into every row's batch_id column. */
    public long batchId()
    {
        return batchId;
    }

    public MutableDirectBuffer body()
    {
        return body;
    }

    /** The backing array, for handing the body to an InputStream without a copy. */
    public byte[] array()
    {
        return body.byteArray();
    }

    public int length()
    {
        return length;
    }

    public int rows()
    {
        return rows;
    }

    public long firstRowNanos()
    {
        return firstRowNanos;
    }

    /** Records that a row of {@code rowLength} bytes was written at {@link #length()}. */
    public void appended(final int rowLength, final long nowNanos)
    {
        if (rows == 0)
        {
            firstRowNanos = nowNanos;
        }
        length += rowLength;
        rows++;
    }

    public static String tableName(final int table)
    {
        return switch (table)
        {
            case ROLLUP_MINUTE -> "rollup_minute";
            case ROLLUP_HOUR -> "rollup_hour";
            case LATE_EVENTS -> "late_events";
            default -> throw new IllegalArgumentException("no table " + table);
        };
    }
}
