package dev.tally.engine.sink;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

/**
 * A slot of the rows ring, from the windowing thread to the encoder thread: a rollup row, a side-output record
 * (with a copy of its original bytes), or the in-band {@link #TICK} / {@link #END} signals passed on from the
 * consumer. Written only by the windowing thread; read by the encoder thread after the ring publishes it.
 */
public final class RowSlot
{
    public static final int ROW = 0;
    public static final int SIDE_OUTPUT = 1;
    public static final int TICK = 2;
    public static final int END = 3;
    /** Recovery points after the rows before it: see {@link Checkpoint}. */
    public static final int CHECKPOINT = 4;

    private int type;
    // Rollup row and side output share the identity fields.
    private int kind;
    private int partition;
    private long windowStartMs;
    private long accountId;
    private int country;
    private long count;
    private long sumLo;
    private long sumHi;
    private long version;
    // Side output only.
    private long offset;
    private int reason;
    private long eventTimeMs;
    private long amount;
    private byte[] raw = new byte[512];
    private final UnsafeBuffer rawBuffer = new UnsafeBuffer(raw);
    private int rawLength;
    private final Checkpoint checkpoint = new Checkpoint();

    public void row(final int kind, final long windowStartMs, final long accountId, final int country,
        final int partition, final long count, final long sumLo, final long sumHi, final long version)
    {
        this.type = ROW;
        this.kind = kind;
        this.windowStartMs = windowStartMs;
        this.accountId = accountId;
        this.country = country;
        this.partition = partition;
        this.count = count;
        this.sumLo = sumLo;
        this.sumHi = sumHi;
        this.version = version;
    }

    /** A side-output record; {@code country} 0 and zeros elsewhere when the record did not decode. */
    public void sideOutput(final int partition, final long offset, final int kind, final int reason,
        final long eventTimeMs, final long accountId, final int country, final long amount,
        final DirectBuffer src, final int srcOffset, final int srcLength)
    {
        this.type = SIDE_OUTPUT;
        this.partition = partition;
        this.offset = offset;
        this.kind = kind;
        this.reason = reason;
        this.eventTimeMs = eventTimeMs;
        this.accountId = accountId;
        this.country = country;
        this.amount = amount;
        if (srcLength > raw.length)
        {
            raw = new byte[Integer.highestOneBit(srcLength - 1) << 1];
            rawBuffer.wrap(raw);
        }
        src.getBytes(srcOffset, raw, 0, srcLength);
        this.rawLength = srcLength;
    }

    public void control(final int type)
    {
        this.type = type;
    }

    /** Turns the slot into a CHECKPOINT; the caller fills {@link #checkpoint()}. */
    public Checkpoint checkpoint()
    {
        return checkpoint;
    }

    public int type()
    {
        return type;
    }

    public int kind()
    {
        return kind;
    }

    public int partition()
    {
        return partition;
    }

    public long windowStartMs()
    {
        return windowStartMs;
    }

    public long accountId()
    {
        return accountId;
    }

    public int country()
    {
        return country;
    }

    public long count()
    {
        return count;
    }

    public long sumLo()
    {
        return sumLo;
    }

    public long sumHi()
    {
        return sumHi;
    }

    public long version()
    {
        return version;
    }

    public long offset()
    {
        return offset;
    }

    public int reason()
    {
        return reason;
    }

    public long eventTimeMs()
    {
        return eventTimeMs;
    }

    public long amount()
    {
        return amount;
    }

    public DirectBuffer raw()
    {
        return rawBuffer;
    }

    public int rawLength()
    {
        return rawLength;
    }
}
