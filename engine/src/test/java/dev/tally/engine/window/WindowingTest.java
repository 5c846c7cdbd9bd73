package dev.tally.engine.window;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Each rule of the windowing semantics at its exact boundary. */
class WindowingTest
{
    private static final long T0 = 1_767_225_600_000L; // a UTC hour boundary
    private static final long DELAY = 2_000;
    private static final long LATENESS = 30_000;
    private static final long SKEW = 3_600_000;
    private static final int US = 0x5553;

    private final List<long[]> rows = new ArrayList<>();
    private final List<int[]> side = new ArrayList<>();
    private Windowing w;

    @BeforeEach
    void setUp()
    {
        w = new Windowing(new WindowingConfig(DELAY, LATENESS, SKEW, WindowKind.mask("both"), 0, 16),
            (kind, start, account, country, partition, count, lo, hi, version) ->
                rows.add(new long[] {kind, start, account, country, partition, count, lo, hi, version}),
            (partition, offset, reason, kind) -> side.add(new int[] {partition, (int)offset, reason, kind}));
    }

    @Test
    void recordAtWatermarkEqualToEndPlusLatenessIsLate()
    {
        // The minute window [T0, T0+60s) ends at E = T0+60s. Push M so that wm = M - delay = E + lateness exactly.
        final long e = T0 + 60_000;
        w.onEvent(0, 0, e + LATENESS + DELAY, 1, US, e + LATENESS + DELAY, 1);
        assertThat(w.watermark(0)).isEqualTo(e + LATENESS);
        final int accepted = w.onEvent(0, 1, T0 + 5_000, 1, US, T0 + 5_000, 7);
        assertThat(accepted).isEqualTo(1 << WindowKind.HOUR);
        assertThat(side).containsExactly(new int[] {0, 1, SideOutputSink.LATE, WindowKind.MINUTE});
    }

    @Test
    void recordOneMillisecondInsideLatenessIsAccepted()
    {
        final long e = T0 + 60_000;
        w.onEvent(0, 0, e + LATENESS + DELAY - 1, 1, US, e + LATENESS + DELAY - 1, 1);
        assertThat(w.onEvent(0, 1, T0, 1, US, T0, 7)).isEqualTo(3);
        assertThat(side).isEmpty();
    }

    @Test
    void futureRecordsGoToSideOutputAndDoNotMoveTheWatermark()
    {
        w.onEvent(0, 0, T0, 1, US, T0, 1);
        assertThat(w.onEvent(0, 1, T0, 1, US, T0 + SKEW + 1, 1)).isZero();
        assertThat(w.watermark(0)).isEqualTo(T0 - DELAY);
        assertThat(side).containsExactly(new int[] {0, 1, SideOutputSink.FUTURE, SideOutputSink.NO_KIND});
        assertThat(w.onEvent(0, 2, T0, 1, US, T0 + SKEW, 1)).as("exactly at the skew is not future").isEqualTo(3);
    }

    @Test
    void recordWithoutKafkaTimestampIsNeverFuture()
    {
        assertThat(w.onEvent(0, 0, -1, 1, US, Long.MAX_VALUE - 1, 1)).isEqualTo(3);
        assertThat(side).isEmpty();
        assertThat(w.onEvent(0, 1, T0, 1, US, Long.MIN_VALUE + 1, 1)).as("no overflow into 'future'").isZero();
        assertThat(side).extracting(s -> s[2]).containsOnly(SideOutputSink.LATE);
    }

    @Test
    void watermarksArePerPartition()
    {
        w.onEvent(0, 0, T0 + 10 * 3_600_000L, 1, US, T0 + 10 * 3_600_000L, 1);
        assertThat(w.onEvent(1, 0, T0, 1, US, T0, 1)).as("partition 1 has no watermark yet").isEqualTo(3);
        assertThat(w.watermark(1)).isEqualTo(T0 - DELAY);
    }

    @Test
    void tickEmitsChangedRowsOnceThenClosesPassedWindows()
    {
        w.onEvent(3, 100, T0, 42, US, T0 + 1, 5);
        w.onEvent(3, 101, T0, 42, US, T0 + 2, -2);
        w.onTick();
        assertThat(rows).hasSize(2);
        final long[] minute = rows.getFirst()[0] == WindowKind.MINUTE ? rows.get(0) : rows.get(1);
        assertThat(minute).containsExactly(WindowKind.MINUTE, T0, 42, US, 3, 2, 3, 0, 102);
        w.onTick();
        assertThat(rows).as("nothing changed, nothing emitted").hasSize(2);
        assertThat(w.rowCount()).isEqualTo(2);

        // Watermark reaches the minute's end + lateness: the minute row leaves the state, the hour row stays.
        w.onEvent(3, 102, T0 + 60_000 + LATENESS + DELAY, 42, US, T0 + 60_000 + LATENESS + DELAY, 1);
        w.onTick();
        assertThat(w.rowCount()).isEqualTo(3 - 1);
    }

    @Test
    void int128SumCarriesPastLongRange()
    {
        w.onEvent(0, 0, T0, 1, US, T0, Long.MAX_VALUE);
        w.onEvent(0, 1, T0, 1, US, T0, Long.MAX_VALUE);
        w.onEvent(0, 2, T0, 1, US, T0, 2);
        w.onTick();
        final long[] r = rows.getFirst();
        assertThat(ReferenceWindowing.int128(r[6], r[7]))
            .isEqualTo(java.math.BigInteger.valueOf(Long.MAX_VALUE).shiftLeft(1).add(java.math.BigInteger.TWO));
        w.onEvent(0, 3, T0, 1, US, T0, Long.MIN_VALUE);
        w.onEvent(0, 4, T0, 1, US, T0, Long.MIN_VALUE);
        w.onTick();
        final long[] r2 = rows.get(rows.size() - 1);
        assertThat(ReferenceWindowing.int128(r2[6], r2[7])).isEqualTo(java.math.BigInteger.ZERO);
    }
}
