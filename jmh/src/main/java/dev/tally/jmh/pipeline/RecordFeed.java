package dev.tally.jmh.pipeline;

import java.nio.ByteOrder;

import com.lmax.disruptor.RingBuffer;
import org.agrona.concurrent.IdleStrategy;
import org.agrona.concurrent.UnsafeBuffer;

import dev.tally.codec.WireFormat;
import dev.tally.engine.ingest.RecordSlot;
import dev.tally.jmh.window.EventSample;

/**
 * The consumer thread's side of the records ring without Kafka: an {@link EventSample}'s values as the separate
 * {@code byte[]} Kafka hands over per record, copied into {@link RecordSlot}s the way
 * {@link dev.tally.engine.ingest.ConsumerAgent} does it (claim, {@link RecordSlot#record}, publish), with offsets
 * counted per partition. Replayed lap after lap: each lap adds the sample's span to the Kafka timestamp and, by one
 * 8-byte store into the copied value, to the event time, so the consumer of the ring sees an endless stream whose
 * watermark advances. Single thread.
 */
final class RecordFeed
{
    private final byte[][] values;
    private final byte[] partitions;
    private final long[] kafkaTimestamps;
    private final long[] eventTimes;
    private final long spanMs;
    private final long[] nextOffset = new long[EventSample.PARTITIONS];
    private int cursor;
    private long shiftMs;
    private long published;
    private long offsetSum;

    private RecordFeed(final EventSample sample)
    {
        final int n = sample.size();
        final UnsafeBuffer all = sample.values();
        values = new byte[n][];
        eventTimes = new long[n];
        for (int i = 0; i < n; i++)
        {
            final int at = sample.offsets()[i];
            if (all.getByte(at + WireFormat.VERSION_OFFSET) != WireFormat.VERSION)
            {
                throw new IllegalArgumentException("the feed shifts event time in binary values only: record " + i);
            }
            values[i] = new byte[sample.lengths()[i]];
            all.getBytes(at, values[i]);
            eventTimes[i] = all.getLong(at + WireFormat.EVENT_TIME_OFFSET, ByteOrder.LITTLE_ENDIAN);
        }
        partitions = sample.partitions();
        kafkaTimestamps = sample.kafkaTimestamps();
        spanMs = sample.spanMs();
    }

    static RecordFeed of(final EventSample sample)
    {
        return new RecordFeed(sample);
    }

    /** Waits, with {@code idle}, until the ring can take {@code n} more slots. */
    static void awaitCapacity(final RingBuffer<RecordSlot> ring, final int n, final IdleStrategy idle)
    {
        idle.reset();
        while (!ring.hasAvailableCapacity(n))
        {
            idle.idle();
        }
    }

    /** The engine's path: one claim and one publish per record. The caller made sure the ring has room. */
    void publishOne(final RingBuffer<RecordSlot> ring)
    {
        final long sequence = ring.next();
        fill(ring.get(sequence));
        ring.publish(sequence);
    }

    /** Not the engine's path: {@code n} records under one claim and one publish (what batching would save). */
    void publishBatch(final RingBuffer<RecordSlot> ring, final int n)
    {
        final long hi = ring.next(n);
        final long lo = hi - (n - 1);
        for (long sequence = lo; sequence <= hi; sequence++)
        {
            fill(ring.get(sequence));
        }
        ring.publish(lo, hi);
    }

    /** Records published so far. */
    long published()
    {
        return published;
    }

    /** Sum of the offsets published so far, for a consumer to check it saw each record once. */
    long offsetSum()
    {
        return offsetSum;
    }

    private void fill(final RecordSlot slot)
    {
        final int i = cursor;
        final int partition = partitions[i];
        final long offset = nextOffset[partition]++;
        slot.record(partition, offset, kafkaTimestamps[i] + shiftMs, values[i]);
        slot.value().putLong(WireFormat.EVENT_TIME_OFFSET, eventTimes[i] + shiftMs, ByteOrder.LITTLE_ENDIAN);
        offsetSum += offset;
        published++;
        if (++cursor == values.length)
        {
            cursor = 0;
            shiftMs += spanMs;
        }
    }
}
