package dev.tally.engine.latency;

import org.HdrHistogram.Histogram;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

final class LatencyCyclesTest
{
    private static final long T0 = 1_767_225_600_000L;

    @Test
    void eachRecordGetsAcknowledgementMinusItsTimestampAndThePartsAddUp()
    {
        final LatencyRecorders recorders = new LatencyRecorders();
        final LatencyCycles cycles = new LatencyCycles(4, recorders);
        cycles.begin(T0);
        cycles.record(T0 - 300);   // produced before the cycle began (in Kafka or the ring meanwhile)
        cycles.record(T0 + 200);   // produced during the cycle
        cycles.record(T0 + 900);
        final int cycle = cycles.close(T0 + 1000);
        assertThat(cycle).isGreaterThanOrEqualTo(0);
        cycles.visible(cycle, T0 + 1400, T0 + 2000);

        final Histogram total = recorders.part(0).getIntervalHistogram();
        assertThat(total.getTotalCount()).isEqualTo(3);
        assertThat(total.getMaxValue()).isCloseTo(2300, within(25L));
        assertThat(total.getMinValue()).isCloseTo(1100, within(15L));
        assertThat(total.getMean()).isCloseTo((2300 + 1800 + 1100) / 3.0, within(20.0));

        final Histogram emit = recorders.part(1).getIntervalHistogram();
        assertThat(emit.getMaxValue()).isCloseTo(1300, within(15L));
        assertThat(emit.getMinValue()).isCloseTo(100, within(2L));
        final Histogram queue = recorders.part(2).getIntervalHistogram();
        assertThat(queue.getTotalCount()).isEqualTo(3);
        assertThat(queue.getMaxValue()).isCloseTo(400, within(1L));
        final Histogram insert = recorders.part(3).getIntervalHistogram();
        assertThat(insert.getMaxValue()).isCloseTo(600, within(1L));
    }

    @Test
    void anEmptyCycleIsNotHandedOnAndAFreedSlotIsReused()
    {
        final LatencyRecorders recorders = new LatencyRecorders();
        final LatencyCycles cycles = new LatencyCycles(2, recorders);
        cycles.begin(T0);
        assertThat(cycles.close(T0 + 1000)).as("nothing recorded").isEqualTo(-1);
        for (int i = 0; i < 10; i++)
        {
            final long began = T0 + 1000 + i * 1000L;
            cycles.record(began + 10);
            final int c = cycles.close(began + 1000);
            assertThat(c).as("cycle %d", i).isGreaterThanOrEqualTo(0);
            cycles.visible(c, began + 1000, began + 1100);
        }
        final Histogram total = recorders.part(0).getIntervalHistogram();
        assertThat(total.getTotalCount()).isEqualTo(10);
        assertThat(total.getMaxValue()).isCloseTo(1090, within(15L));
    }

    @Test
    void withEverySlotInFlightTicksMergeIntoOneCycleWhoseRecordsGetTheLaterAcknowledgement()
    {
        final LatencyRecorders recorders = new LatencyRecorders();
        final LatencyCycles cycles = new LatencyCycles(2, recorders);
        cycles.begin(T0);
        cycles.record(T0 + 500);
        final int first = cycles.close(T0 + 1000);      // slot 0 in flight, slot 1 recording
        cycles.record(T0 + 1500);
        assertThat(cycles.close(T0 + 2000)).as("no free slot: the cycle goes on").isEqualTo(-1);
        cycles.record(T0 + 2500);
        cycles.visible(first, T0 + 2900, T0 + 3000);   // frees slot 0
        final int merged = cycles.close(T0 + 3000);
        assertThat(merged).isGreaterThanOrEqualTo(0).isNotEqualTo(first);
        cycles.visible(merged, T0 + 3500, T0 + 4000);

        final Histogram total = recorders.part(0).getIntervalHistogram();
        assertThat(total.getTotalCount()).isEqualTo(3);
        // 500 -> acked at 3000: 2500; 1500 and 2500 -> acked at 4000 (the merged cycle's ack): 2500 and 1500.
        assertThat(total.getValueAtPercentile(100)).isCloseTo(2500, within(30L));
        assertThat(total.getMinValue()).isCloseTo(1500, within(20L));
        assertThat(total.getCountBetweenValues(2450, 2550)).isEqualTo(2);
    }

    @Test
    void recordsWithoutATimestampAreLeftOutAndHugeLatenciesAreClamped()
    {
        final LatencyRecorders recorders = new LatencyRecorders();
        final LatencyCycles cycles = new LatencyCycles(2, recorders);
        cycles.begin(T0);
        cycles.record(-1);
        cycles.record(T0 - 2 * LatencyCycles.MAX_MS);
        final int c = cycles.close(T0 + 1000);
        cycles.visible(c, T0 + 1000, T0 + 1000);
        final Histogram total = recorders.part(0).getIntervalHistogram();
        assertThat(total.getTotalCount()).isEqualTo(1);
        assertThat(total.getMaxValue()).isCloseTo(LatencyRecorders.HIGHEST_MS, within(LatencyRecorders.HIGHEST_MS / 100));
        assertThat(cycles.clamped()).isEqualTo(1);
    }
}
