package dev.tally.jmh.pipeline;

import java.nio.ByteOrder;
import java.util.concurrent.atomic.AtomicLong;

import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.RingBuffer;
import org.agrona.concurrent.Agent;

import dev.tally.codec.WireFormat;
import dev.tally.engine.ingest.RecordSlot;

/**
 * The windowing thread's side of the records ring with nothing behind it: polls the ring the way
 * {@link dev.tally.engine.window.WindowingAgent} does (an {@link EventPoller} gating the producer, at most 4,096
 * slots per poll) and reads each slot's fields and the event time in its copied value, so the slot's cache lines
 * really move to this thread. Counts what it consumed, so a benchmark can check every record arrived once.
 */
final class RecordsDrain implements Agent, EventPoller.Handler<RecordSlot>
{
    private static final int MAX_EVENTS_PER_POLL = 4096;

    private final EventPoller<RecordSlot> poller;
    private final AtomicLong consumed = new AtomicLong();
    private long count;
    private long offsetSum;
    /** What the reads add up to: a field, so the JIT cannot drop them. */
    private long checksum;
    private int handled;

    RecordsDrain(final RingBuffer<RecordSlot> ring)
    {
        this.poller = ring.newPoller();
        ring.addGatingSequences(poller.getSequence());
    }

    @Override
    public int doWork() throws Exception
    {
        handled = 0;
        poller.poll(this);
        if (handled > 0)
        {
            consumed.setRelease(count);
        }
        return handled;
    }

    @Override
    public boolean onEvent(final RecordSlot slot, final long sequence, final boolean endOfBatch)
    {
        if (slot.type() == RecordSlot.RECORD)
        {
            count++;
            offsetSum += slot.offset();
            checksum += slot.partition() + slot.timestampMs() + slot.length() +
                slot.value().getLong(WireFormat.EVENT_TIME_OFFSET, ByteOrder.LITTLE_ENDIAN);
        }
        return ++handled < MAX_EVENTS_PER_POLL;
    }

    /** Records consumed (any thread). */
    long consumed()
    {
        return consumed.getAcquire();
    }

    /** Sum of the offsets consumed; read after {@link #consumed()} shows everything arrived. */
    long offsetSum()
    {
        return offsetSum;
    }

    @Override
    public String roleName()
    {
        return "records-drain";
    }
}
