package dev.tally.engine.backfill;

import java.util.Map;

import dev.tally.engine.ingest.CommitMetadata;
import dev.tally.engine.window.WindowKind;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** Which windows a range covers, when it is final, where reading starts, and when the live engine refuses it. */
class PlanTest
{
    private static final long H = Instants.parse("2026-11-21T10:00:00Z");
    private static final long MIN = 60_000;

    private static Plan plan(final long from, final long to, final String window)
    {
        return new Plan(from, to, "events", "tally", window, 2_000, 30_000, 3_600_000);
    }

    @Test
    void windowsWhollyInsideTheRange()
    {
        final Plan hour = plan(H, H + 3_600_000, "both");
        assertThat(hour.windows(WindowKind.MINUTE)).isEqualTo(60);
        assertThat(hour.windows(WindowKind.HOUR)).isEqualTo(1);
        assertThat(hour.closesAtMs()).isEqualTo(H + 3_600_000 + 30_000);
        assertThat(hour.readFromTimestampMs()).isEqualTo(H - 3_600_000);
        assertThat(hour.describe()).isEqualTo("minute windows 2026-11-21T10:00:00Z to 2026-11-21T11:00:00Z (60), " +
            "hour windows 2026-11-21T10:00:00Z to 2026-11-21T11:00:00Z (1)");

        final Plan ragged = plan(H + 30_000, H + 90 * MIN + 10, "both");
        assertThat(ragged.firstStart(WindowKind.MINUTE)).isEqualTo(H + MIN);
        assertThat(ragged.windows(WindowKind.MINUTE)).isEqualTo(89);
        assertThat(ragged.windows(WindowKind.HOUR)).as("no hour lies wholly inside").isZero();
        assertThat(ragged.closesAtMs()).isEqualTo(H + 90 * MIN + 30_000);

        assertThat(plan(H, H + 3_600_000, "hour").windows(WindowKind.MINUTE)).isZero();
        assertThat(plan(H + 1, H + MIN + 1, "minute").totalWindows()).isZero();
        assertThatThrownBy(() -> plan(H, H, "both")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void storedSettingsGiveTheSamePlan()
    {
        final Plan p = plan(H, H + 3_600_000, "minute");
        assertThat(Plan.of(new Plan.Stored(p.fromMs(), p.toMs(), p.topic(), p.liveGroup(), p.settings()))).isEqualTo(p);
    }

    @Test
    void theLiveEngineMustHaveClosedTheRangeOnEveryPartition()
    {
        final Plan p = plan(H, H + 3_600_000, "both");
        final long closes = p.closesAtMs();
        assertThat(LiveCheck.refusal(p, 2, Map.of(tp(0), commit(closes), tp(1), commit(closes + 5)))).isNull();

        final String open = LiveCheck.refusal(p, 2, Map.of(tp(0), commit(closes), tp(1), commit(H + 41 * MIN + 7_000)));
        assertThat(open).startsWith("refused: the live engine (group 'tally') can still change windows")
            .contains("partition 1 (watermark 2026-11-21T10:41:07Z) is not there yet")
            .contains("closes at 2026-11-21T11:00:30Z")
            .contains("or end the range at --to 2026-11-21T10:40:00Z");

        assertThat(LiveCheck.refusal(p, 2, Map.of(tp(0), commit(closes))))
            .contains("partition [1] of events has no checkpoint").contains("--live-group none");
        assertThat(LiveCheck.refusal(p, 1, Map.of(tp(0), new OffsetAndMetadata(5, "someone else's"))))
            .contains("no checkpoint");
    }

    private static TopicPartition tp(final int p)
    {
        return new TopicPartition("events", p);
    }

    private static OffsetAndMetadata commit(final long watermark)
    {
        return new OffsetAndMetadata(100, new CommitMetadata(120, watermark, watermark - 5_000).format());
    }
}
