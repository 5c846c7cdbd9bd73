package dev.tally.journal;

import net.openhft.chronicle.bytes.BytesIn;
import net.openhft.chronicle.bytes.BytesMarshallable;
import net.openhft.chronicle.bytes.BytesOut;

/**
 * The body of a {@link JournalEvents#checkpointCommitted} message, a reusable flyweight for both directions.
 * <p>
 * Layout (little-endian): {@code u8 version | i64 checkpointId | i32 count | count x (i32 partition, i64 offset)}.
 */
public final class CheckpointEntry implements BytesMarshallable
{
    /** The layout version written first in every entry. */
    public static final byte VERSION = 1;

    private long checkpointId;
    private int count;
    private int[] partitions = new int[16];
    private long[] offsets = new long[16];
    private int[] partitionsOut;
    private long[] offsetsOut;

    void set(final long checkpointId, final int[] partitions, final long[] offsets, final int count)
    {
        this.checkpointId = checkpointId;
        this.partitionsOut = partitions;
        this.offsetsOut = offsets;
        this.count = count;
    }

    /** Drops the references to the caller's arrays once the entry is written. */
    void clear()
    {
        partitionsOut = null;
        offsetsOut = null;
    }

    @Override
    public void writeMarshallable(final BytesOut<?> out)
    {
        out.writeByte(VERSION);
        out.writeLong(checkpointId);
        out.writeInt(count);
        for (int i = 0; i < count; i++)
        {
            out.writeInt(partitionsOut[i]);
            out.writeLong(offsetsOut[i]);
        }
    }

    @Override
    public void readMarshallable(final BytesIn<?> in)
    {
        final byte version = in.readByte();
        if (VERSION != version)
        {
            throw new IllegalStateException("unknown checkpoint entry version " + version);
        }
        checkpointId = in.readLong();
        count = in.readInt();
        if (count < 0 || (long)count * (Integer.BYTES + Long.BYTES) > in.readRemaining())
        {
            throw new IllegalStateException("checkpoint entry count " + count + " exceeds the entry");
        }
        if (partitions.length < count)
        {
            partitions = new int[count];
            offsets = new long[count];
        }
        for (int i = 0; i < count; i++)
        {
            partitions[i] = in.readInt();
            offsets[i] = in.readLong();
        }
    }

    /** @return the checkpoint id. */
    public long checkpointId()
    {
        return checkpointId;
    }

    /** @return the number of partitions of the entry last read. */
    public int count()
    {
        return count;
    }

    /**
     * @param i in [0, count).
     * @return the i-th partition.
     */
    public int partition(final int i)
    {
        return partitions[i];
    }

    /**
     * @param i in [0, count).
     * @return the committed offset of the i-th partition.
     */
    public long offset(final int i)
    {
        return offsets[i];
    }
}
