package dev.tally.engine.window;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** A backfill's windowing: only windows wholly inside the range, each row once and whole, at its window's close. */
class WindowingBackfillTest
{
    private static final long H = 1_767_225_600_000L; // a UTC hour boundary
    private static final long MIN = 60_000;
    private static final long DELAY = 2_000;
    private static final long LATENESS = 30_000;
    private static final int US = 0x5553;
    private static final int GENERATION = 3;

    private final List<long[]> rows = new ArrayList<>();
    private final List<int[]> side = new ArrayList<>();
    private Windowing w;

    @BeforeEach
    void setUp()
    {
        // The range [H + 30 s, H + 2 h): minute windows from H + 1 min, and only the hour window H + 1 h.
        w = new Windowing(new WindowingConfig(DELAY, LATENESS, 3_600_000, WindowKind.mask("both"), 0, 16)
                .withRange(H + 30_000, H + 2 * 3_600_000, GENERATION),
            (kind, start, account, country, partition, count, lo, hi, version) ->
                rows.add(new long[] {kind, start, account, country, partition, count, lo, version}),
            (partition, offset, reason, kind) -> side.add(new int[] {partition, (int)offset, reason, kind}));
    }

    @Test
    void foldsOnlyWindowsWhollyInsideTheRangeAndEmitsEachRowOnceWhenItCloses()
    {
        w.onEvent(0, 0, H + 10_000, 1, US, H + 10_000, 5);               // minute H, hour H: outside
        w.onEvent(0, 1, H + MIN + 1, 1, US, H + MIN + 1, 7);             // minute H+1m inside, hour H outside
        w.onEvent(0, 2, H + MIN + 2, 1, US, H + MIN + 2, 8);
        assertThat(w.onTick()).isZero();
        assertThat(rows).as("no row before its window closes, however many ticks").isEmpty();

        // wm = M - delay reaches minute H+1m's end + lateness: it closes at the next tick.
        final long closeMinute = H + 2 * MIN + LATENESS + DELAY;
        w.onEvent(0, 3, closeMinute, 9, US, closeMinute, 0);             // minute H+2m inside
        w.onTick();
        assertThat(rows).containsExactly(new long[] {WindowKind.MINUTE, H + MIN, 1, US, 0, 2, 15,
            ((long)GENERATION << Windowing.GENERATION_SHIFT) | 3});
        rows.clear();

        w.onEvent(0, 4, H + 3_600_000 + 5, 2, US, H + 3_600_000 + 5, 9); // minute H+1h and hour H+1h inside
        final long closeAll = H + 2 * 3_600_000 + LATENESS + DELAY;
        w.onEvent(0, 5, closeAll, 9, US, closeAll, 0);                   // minute and hour H+2h: outside
        w.onTick();
        assertThat(rows).extracting(r -> WindowKind.name((int)r[0]) + "@" + (r[1] - H) / MIN + "m account " + r[2] +
                " n=" + r[5] + " v=" + (r[7] & Windowing.OFFSET_MASK))
            .containsExactlyInAnyOrder("minute@2m account 9 n=1 v=4", "minute@60m account 2 n=1 v=5",
                "hour@60m account 2 n=1 v=5");
        assertThat(rows).allMatch(r -> r[7] >>> Windowing.GENERATION_SHIFT == GENERATION);
        assertThat(w.rowCount()).as("nothing outside the range was ever in state").isZero();
    }

    @Test
    void lateRecordsOfTheRangeGoToTheSideOutputAndNothingElseDoes()
    {
        w.onMalformed(0, 0);
        w.onEvent(0, 1, H, 1, US, H + 5 * 3_600_000, 1);                 // future
        final long far = H + 3 * 3_600_000;
        w.onEvent(0, 2, far, 1, US, far, 1);                             // pushes the watermark past the range
        w.onEvent(0, 3, far, 1, US, H + 10_000, 1);                      // late, windows outside the range
        w.onEvent(0, 4, far, 1, US, H + 90 * MIN, 1);                    // late, minute and hour inside
        assertThat(side).containsExactlyInAnyOrder(new int[] {0, 4, SideOutputSink.LATE, WindowKind.MINUTE},
            new int[] {0, 4, SideOutputSink.LATE, WindowKind.HOUR});
        w.onTick();
        assertThat(rows).as("nothing was folded: the only in-range record was late").isEmpty();
    }

    @Test
    void aRangeNeedsAGeneration()
    {
        assertThatThrownBy(() -> WindowingConfig.defaults().withRange(H, H + MIN, 0))
            .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("generation");
        assertThat(WindowingConfig.defaults().backfill()).isFalse();
        assertThat(WindowingConfig.defaults().withRange(H, H + MIN, 1).backfill()).isTrue();
    }
}
