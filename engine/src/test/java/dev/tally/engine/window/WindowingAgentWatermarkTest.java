package dev.tally.engine.window;

import dev.tally.codec.Country;
import dev.tally.codec.EventEncoder;
import dev.tally.codec.EventKind;
import dev.tally.codec.MutableEvent;
import dev.tally.engine.EngineCounters;
import dev.tally.engine.ingest.RecordSlot;
import dev.tally.engine.latency.LatencyCycles;
import dev.tally.engine.latency.LatencyRecorders;
import dev.tally.engine.sink.RowSlot;

import java.util.Arrays;

import com.lmax.disruptor.RingBuffer;
import com.lmax.disruptor.YieldingWaitStrategy;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The smallest watermark the windowing thread publishes for tally_watermark_lag_seconds, at each tick. */
class WindowingAgentWatermarkTest
{
    private static final long T0 = 1_767_225_600_000L;

    private final RingBuffer<RecordSlot> records =
        RingBuffer.createSingleProducer(RecordSlot::new, 1024, new YieldingWaitStrategy());
    private final RingBuffer<RowSlot> rows = RingBuffer.createSingleProducer(RowSlot::new, 1024, new YieldingWaitStrategy());
    private final EngineCounters counters = new EngineCounters();
    private final WindowingAgent agent = new WindowingAgent(records, rows, WindowingConfig.defaults(), counters,
        new LatencyCycles(4, new LatencyRecorders()));
    private long offset;

    @Test
    void aPartitionWithoutRecordsDoesNotHideTheOthersWatermark() throws Exception
    {
        agent.onStart();
        restore(0);
        restore(1);
        restore(2);
        tick();
        assertThat(counters.minWatermarkMs.get()).as("no partition has a watermark yet").isEqualTo(Windowing.NO_WATERMARK);

        record(0, T0 + 10_000);
        record(1, T0 + 4_000);
        tick();
        assertThat(counters.minWatermarkMs.get()).as("partition 2 has no record; the smallest of 0 and 1")
            .isEqualTo(T0 + 4_000 - WindowingConfig.defaults().watermarkDelayMs());

        record(2, T0 + 1_000);
        tick();
        assertThat(counters.minWatermarkMs.get()).as("partition 2 has one now, and it is the smallest")
            .isEqualTo(T0 + 1_000 - WindowingConfig.defaults().watermarkDelayMs());
    }

    private void restore(final int partition)
    {
        final long seq = records.next();
        records.get(seq).restore(partition, Windowing.NO_WATERMARK, -1, Windowing.NO_WATERMARK);
        records.publish(seq);
    }

    private void record(final int partition, final long eventTime) throws Exception
    {
        final MutableEvent event = new MutableEvent().eventId(1, offset).accountId(42).eventTime(eventTime)
            .amount(100).kind(EventKind.PURCHASE).country(Country.of("US")).payloadLength(0);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final int length = new EventEncoder().wrap(buffer, 0).encode(event, new UnsafeBuffer(new byte[0]), 0);
        final long seq = records.next();
        records.get(seq).record(partition, offset++, eventTime, Arrays.copyOf(buffer.byteArray(), length));
        records.publish(seq);
    }

    private void tick() throws Exception
    {
        final long seq = records.next();
        records.get(seq).control(RecordSlot.TICK);
        records.publish(seq);
        while (agent.doWork() > 0)
        {
            // drain: the agent runs on this thread
        }
    }
}
