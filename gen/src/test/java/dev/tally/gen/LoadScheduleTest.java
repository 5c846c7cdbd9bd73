package dev.tally.gen;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class LoadScheduleTest
{
    @Test
    void steadyRateSpacesEventsEvenly()
    {
        final LoadSchedule schedule = new LoadSchedule(200_000, 1.0, 0, 0);
        assertThat(schedule.offsetNanos(0)).isZero();
        assertThat(schedule.offsetNanos(1)).isEqualTo(5_000);
        assertThat(schedule.offsetNanos(200_000)).isEqualTo(1_000_000_000L);
        assertThat(schedule.dueCount(0)).isEqualTo(1);
        assertThat(schedule.dueCount(1_000_000_000L)).isEqualTo(200_001);
        assertThat(schedule.offsetNanos(200_000L * 86_400 * 365)).isEqualTo(86_400L * 365 * 1_000_000_000L);
    }

    @Test
    void burstsMultiplyTheRateForTheirLength()
    {
        final LoadSchedule schedule = new LoadSchedule(10_000, 3.0, 10_000, 2_000);
        assertThat(schedule.periodEvents()).isEqualTo(3 * 10_000 * 2 + 10_000 * 8);
        assertThat(schedule.dueCount(999_999_999L)).isEqualTo(30_000);
        assertThat(schedule.dueCount(3_000_000_000L) - schedule.dueCount(2_000_000_000L)).isEqualTo(10_000);
        assertThat(schedule.dueCount(11_000_000_000L) - schedule.dueCount(10_000_000_000L)).isEqualTo(30_000);
    }

    @Test
    void dueCountInvertsOffset()
    {
        final LoadSchedule schedule = new LoadSchedule(7_919, 2.5, 3_000, 700);
        long previous = -1;
        for (long i = 0; i < 100_000; i += 13)
        {
            final long offset = schedule.offsetNanos(i);
            assertThat(offset).isGreaterThanOrEqualTo(previous);
            assertThat(schedule.dueCount(offset)).isGreaterThan(i);
            if (offset > 0)
            {
                assertThat(schedule.dueCount(offset - 1)).isLessThanOrEqualTo(i);
            }
            previous = offset;
        }
    }
}
