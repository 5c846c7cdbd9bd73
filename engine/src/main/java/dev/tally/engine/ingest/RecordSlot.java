package dev.tally.engine.ingest;

import org.agrona.concurrent.UnsafeBuffer;

/**
 * A slot of the records ring: one Kafka record copied out of the consumer's batch, or an in-band control signal.
 * Time travels through the pipeline as {@link #TICK} slots published by the consumer thread, so no stage needs a
 * timer of its own. Written only by the consumer thread; read by the windowing thread after the ring publishes it.
 */
public final class RecordSlot
{
    public static final int RECORD = 0;
    /** Processing time has advanced by the emit interval: emit changed rows, cut batches that waited long enough. */
    public static final int TICK = 1;
    /** Everything up to the end offsets seen at start was published (stop-at-end): flush and finish. */
    public static final int END = 2;
    /** The consumer took {@link #partition()} over: start it from a checkpoint (or from nothing). */
    public static final int RESTORE = 3;
    /** The consumer lost {@link #partition()}: forget its state, ignore its records until a RESTORE. */
    public static final int DROP = 4;

    private static final int INITIAL_CAPACITY = 512;

    private int type;
    private int partition;
    private long offset;
    private long timestampMs;
    private int length;
    private long restoreMaxTime;
    private long restorePosition;
    private long restoreWatermark;
    private byte[] bytes = new byte[INITIAL_CAPACITY];
    private final UnsafeBuffer value = new UnsafeBuffer(bytes);

    public void record(final int partition, final long offset, final long timestampMs, final byte[] src)
    {
        final int len = src == null ? 0 : src.length;
        if (len > bytes.length)
        {
            bytes = new byte[Integer.highestOneBit(len - 1) << 1];
            value.wrap(bytes);
        }
        if (len > 0)
        {
            System.arraycopy(src, 0, bytes, 0, len);
        }
        this.type = RECORD;
        this.partition = partition;
        this.offset = offset;
        this.timestampMs = timestampMs;
        this.length = len;
    }

    public void control(final int type)
    {
        this.type = type;
        this.length = 0;
    }

    /** A RESTORE of {@code partition} from a checkpoint's (M at R, T, W), or from nothing when T is -1. */
    public void restore(final int partition, final long maxTime, final long position, final long watermark)
    {
        control(RESTORE);
        this.partition = partition;
        this.restoreMaxTime = maxTime;
        this.restorePosition = position;
        this.restoreWatermark = watermark;
    }

    public void drop(final int partition)
    {
        control(DROP);
        this.partition = partition;
    }

    public long restoreMaxTime()
    {
        return restoreMaxTime;
    }

    public long restorePosition()
    {
        return restorePosition;
    }

    public long restoreWatermark()
    {
        return restoreWatermark;
    }

    public int type()
    {
        return type;
    }

    public int partition()
    {
        return partition;
    }

    public long offset()
    {
        return offset;
    }

    public long timestampMs()
    {
        return timestampMs;
    }

    public int length()
    {
        return length;
    }

    /** The record value in bytes [0, length). */
    public UnsafeBuffer value()
    {
        return value;
    }
}
