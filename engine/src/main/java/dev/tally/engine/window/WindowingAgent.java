package dev.tally.engine.window;

import dev.tally.codec.DecodeResult;
import dev.tally.codec.MutableEvent;
import dev.tally.codec.ValueDecoder;
import dev.tally.engine.EngineCounters;
import dev.tally.engine.ingest.RecordSlot;
import dev.tally.engine.latency.LatencyCycles;
import dev.tally.engine.sink.RowSlot;

import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.RingBuffer;
import org.agrona.concurrent.Agent;

/**
 * The windowing thread: polls the records ring, decodes each record (binary or JSON), folds it into
 * {@link Windowing}, and is the single producer of the rows ring, to which it publishes emitted rows, side-output
 * records (with their original bytes) and the tick/end signals it received. Publishing waits when the rows ring is
 * full, which in turn fills the records ring and pauses the consumer: backpressure, never buffering.
 */
public final class WindowingAgent implements Agent, EventPoller.Handler<RecordSlot>, RowSink, SideOutputSink
{
    private static final int MAX_EVENTS_PER_POLL = 4096;

    private final EventPoller<RecordSlot> poller;
    private final RingBuffer<RowSlot> rows;
    private final Windowing windowing;
    private final EngineCounters counters;
    private final LatencyCycles latency;
    private final ValueDecoder decoder = new ValueDecoder();
    private final MutableEvent event = new MutableEvent();

    private boolean[] owned = new boolean[64];
    private RecordSlot current;
    private boolean currentDecoded;
    private int handled;
    private volatile boolean ended;

    public WindowingAgent(final RingBuffer<RecordSlot> records, final RingBuffer<RowSlot> rows,
        final WindowingConfig config, final EngineCounters counters, final LatencyCycles latency)
    {
        this.poller = records.newPoller();
        records.addGatingSequences(poller.getSequence());
        this.rows = rows;
        this.windowing = new Windowing(config, this, this);
        this.counters = counters;
        this.latency = latency;
    }

    /** Switches to delta rows (the at-least-once baseline); call before the agent starts. */
    public WindowingAgent emitDeltas()
    {
        windowing.emitDeltas();
        return this;
    }

    @Override
    public void onStart()
    {
        latency.begin(System.currentTimeMillis());
    }

    @Override
    public int doWork() throws Exception
    {
        handled = 0;
        poller.poll(this);
        return handled;
    }

    @Override
    public boolean onEvent(final RecordSlot slot, final long sequence, final boolean endOfBatch)
    {
        switch (slot.type())
        {
            case RecordSlot.RECORD -> onRecord(slot);
            case RecordSlot.TICK ->
            {
                windowing.onTick();
                publishCheckpoint(false);
                publishControl(RowSlot.TICK);
            }
            case RecordSlot.END ->
            {
                windowing.onTick();
                publishCheckpoint(true);
                publishControl(RowSlot.END);
                ended = true;
            }
            case RecordSlot.RESTORE ->
            {
                own(slot.partition(), true);
                windowing.restore(slot.partition(), slot.restoreMaxTime(), slot.restorePosition(),
                    slot.restoreWatermark());
            }
            case RecordSlot.DROP ->
            {
                own(slot.partition(), false);
                windowing.drop(slot.partition());
            }
            default -> throw new IllegalStateException("unknown record slot type " + slot.type());
        }
        return ++handled < MAX_EVENTS_PER_POLL;
    }

    private void onRecord(final RecordSlot slot)
    {
        if (slot.partition() >= owned.length || !owned[slot.partition()])
        {
            return; // fetched before the partition was revoked: its new owner processes it
        }
        current = slot;
        if (!windowing.replaying(slot.partition()))
        {
            latency.record(slot.timestampMs());
        }
        if (decoder.decode(slot.value(), 0, slot.length(), event) != DecodeResult.OK)
        {
            currentDecoded = false;
            windowing.onMalformed(slot.partition(), slot.offset());
            return;
        }
        currentDecoded = true;
        final int accepted = windowing.onEvent(slot.partition(), slot.offset(), slot.timestampMs(), event.accountId(),
            event.country(), event.eventTime(), event.amount());
        if (accepted != 0)
        {
            EngineCounters.increment(counters.recordsAccepted);
        }
    }

    @Override
    public void onRow(final int kind, final long windowStartMs, final long accountId, final int country,
        final int partition, final long count, final long sumLo, final long sumHi, final long version)
    {
        final long seq = rows.next();
        rows.get(seq).row(kind, windowStartMs, accountId, country, partition, count, sumLo, sumHi, version);
        rows.publish(seq);
        EngineCounters.increment(counters.rowsEmitted);
    }

    @Override
    public void onSideOutput(final int partition, final long offset, final int reason, final int kind)
    {
        final long seq = rows.next();
        final RowSlot slot = rows.get(seq);
        if (currentDecoded)
        {
            slot.sideOutput(partition, offset, kind, reason, event.eventTime(), event.accountId(), event.country(),
                event.amount(), current.value(), 0, current.length());
        }
        else
        {
            slot.sideOutput(partition, offset, kind, reason, 0, 0, 0, 0, current.value(), 0, current.length());
        }
        rows.publish(seq);
        switch (reason)
        {
            case MALFORMED -> EngineCounters.increment(counters.malformed);
            case FUTURE -> EngineCounters.increment(counters.future);
            default -> EngineCounters.increment(counters.late);
        }
    }

    private void own(final int partition, final boolean own)
    {
        if (partition >= owned.length)
        {
            owned = java.util.Arrays.copyOf(owned, Math.max(partition + 1, owned.length << 1));
        }
        owned[partition] = own;
    }

    /** After a tick's rows: every owned partition's recovery point, which commits once those rows are acknowledged. */
    private void publishCheckpoint(final boolean last)
    {
        final long seq = rows.next();
        final RowSlot slot = rows.get(seq);
        slot.control(RowSlot.CHECKPOINT);
        final dev.tally.engine.sink.Checkpoint c = slot.checkpoint();
        c.clear();
        c.last(last);
        c.latencyCycle(latency.close(System.currentTimeMillis()));
        long minWatermark = Long.MAX_VALUE;
        for (int p = 0; p < owned.length; p++)
        {
            if (owned[p] && windowing.position(p) >= 0 && !windowing.replaying(p))
            {
                c.add(p, windowing.lowWater(p), windowing.maxEventTimeAtLowWater(p), windowing.position(p),
                    windowing.watermark(p));
            }
            if (owned[p] && windowing.watermark(p) != Windowing.NO_WATERMARK)
            {
                // A partition without records yet has no watermark; it must not hide the others' lag.
                minWatermark = Math.min(minWatermark, windowing.watermark(p));
            }
            if (p < EngineCounters.REPORTED_PARTITIONS)
            {
                counters.watermarkMs.setRelease(p, owned[p] ? windowing.watermark(p) : Windowing.NO_WATERMARK);
            }
        }
        rows.publish(seq);
        counters.minWatermarkMs.setRelease(minWatermark == Long.MAX_VALUE ? Windowing.NO_WATERMARK : minWatermark);
    }

    private void publishControl(final int type)
    {
        final long seq = rows.next();
        rows.get(seq).control(type);
        rows.publish(seq);
    }

    /** True once the end signal has been processed and passed on. */
    public boolean ended()
    {
        return ended;
    }

    /** Live rows in window state (read from other threads only for reporting; may be slightly stale). */
    public int liveRows()
    {
        return windowing.rowCount();
    }

    @Override
    public String roleName()
    {
        return "windowing";
    }
}
