package dev.tally.verify;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.Map;
import java.util.Optional;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.record.TimestampType;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.entry;

/** The classification of single records, starting with the worked example of docs/windowing.md row by row. */
class GroundTruthTest
{
    private static final WindowRules DEFAULTS = new WindowRules(2_000, 30_000, 3_600_000, true, true);

    @Test
    void workedExampleOfTheWindowingDocument()
    {
        final GroundTruth truth = new GroundTruth(DEFAULTS);
        final String[][] rows =
        {
            {"10:00:10", "10:00:11"}, {"10:00:50", "10:00:50"}, {"10:01:32", "10:01:32"}, {"10:00:59", "10:01:33"},
            {"12:00:00", "10:01:34"}, {null, "10:01:34"}, {"11:00:33", "11:00:33"}, {"10:59:59", "11:00:34"},
            {"12:00:34", "11:00:34"}
        };
        for (int offset = 0; offset < rows.length; offset++)
        {
            final String value = rows[offset][0] == null ? "{\"garbage\"" : event(1, at(rows[offset][0]), 100L * (offset + 1));
            truth.classify(record(0, offset, at(rows[offset][1]), value));
        }
        final Expected expected = truth.expected();
        assertThat(expected.side).containsOnly(
            entry(new SideKey(0, 3, WindowRules.MINUTE), Expected.LATE),
            entry(new SideKey(0, 4, WindowRules.NONE), Expected.FUTURE),
            entry(new SideKey(0, 5, WindowRules.NONE), Expected.MALFORMED),
            entry(new SideKey(0, 7, WindowRules.MINUTE), Expected.LATE),
            entry(new SideKey(0, 7, WindowRules.HOUR), Expected.LATE));
        assertThat(counts(expected.rows)).containsOnly(
            entry(minute("10:00"), "2/300"), entry(minute("10:01"), "1/300"), entry(minute("11:00"), "1/700"),
            entry(minute("12:00"), "1/900"),
            entry(hour("10:00"), "4/1000"), entry(hour("11:00"), "1/700"), entry(hour("12:00"), "1/900"));
        assertThat(expected.rowsPerKind).containsExactly(4, 3);
        assertThat(expected.latePerKind).containsExactly(2, 1);
        assertThat(expected.foldedLatePerKind).as("row 3 came after its minute closed but beyond the lateness")
            .containsExactly(0, 0);
        assertThat(expected.records).isEqualTo(9);
        assertThat(expected.malformed).isEqualTo(1);
        assertThat(expected.future).isEqualTo(1);
    }

    @Test
    void lateRecordsWithinTheAllowedLatenessAreFoldedAndCounted()
    {
        final GroundTruth truth = new GroundTruth(DEFAULTS);
        truth.classify(record(0, 0, at("10:01:10"), event(1, at("10:01:10"), 5)));
        // Watermark 10:01:08: past the end of minute 10:00 (10:01:00), short of its close (10:01:30).
        truth.classify(record(0, 1, at("10:01:11"), event(1, at("10:00:59"), 7)));
        // Minute 10:01 is still open: neither late nor folded late.
        truth.classify(record(0, 2, at("10:01:12"), event(1, at("10:01:07"), 11)));
        truth.classify(record(0, 3, at("10:01:40"), event(1, at("10:01:40"), 13)));
        // Watermark 10:01:38: minute 10:00 closed at 10:01:30, so this one is late beyond the lateness.
        truth.classify(record(0, 4, at("10:01:41"), event(1, at("10:00:30"), 17)));
        final Expected expected = truth.expected();
        assertThat(expected.foldedLatePerKind).containsExactly(1, 0);
        assertThat(expected.latePerKind).containsExactly(1, 0);
        assertThat(counts(expected.rows)).contains(entry(minute("10:00"), "1/7"));
    }

    @Test
    void partitionsHaveTheirOwnWatermark()
    {
        final GroundTruth truth = new GroundTruth(DEFAULTS);
        truth.classify(record(0, 0, at("11:01:00"), event(1, at("11:01:00"), 5)));
        truth.classify(record(1, 0, at("11:00:01"), event(1, at("10:00:00"), 7)));
        truth.classify(record(0, 1, at("11:00:02"), event(1, at("10:00:00"), 9)));
        assertThat(truth.expected().side).containsOnlyKeys(new SideKey(0, 1, WindowRules.MINUTE),
            new SideKey(0, 1, WindowRules.HOUR));
        assertThat(counts(truth.expected().rows)).contains(entry(minute("10:00"), "1/7"), entry(hour("10:00"), "1/7"));
    }

    @Test
    void recordsWithoutTimestampAreNeverFutureAndMalformedOnesDoNotMoveTheWatermark()
    {
        final GroundTruth truth = new GroundTruth(DEFAULTS);
        truth.classify(record(0, 0, -1, event(1, at("23:00:00"), 1)));
        final GroundTruth second = new GroundTruth(DEFAULTS);
        second.classify(record(0, 0, at("10:00:00"), "{\"account_id\":1}"));
        second.classify(record(0, 1, at("10:00:00"), null));
        second.classify(record(0, 2, at("10:00:00"), event(1, at("09:00:00"), 1)));
        assertThat(truth.expected().side).isEmpty();
        assertThat(truth.expected().rows).hasSize(2);
        assertThat(second.expected().malformed).isEqualTo(2);
        assertThat(second.expected().rows).hasSize(2);
    }

    @Test
    void oneKindOnlyAndTimesBefore1970()
    {
        final GroundTruth truth = new GroundTruth(new WindowRules(2_000, 30_000, 3_600_000, true, false));
        truth.classify(record(0, 0, 0, event(1, -1, 3)));
        assertThat(counts(truth.expected().rows)).containsOnly(entry(new RowKey(WindowRules.MINUTE, -60, 1, "DE"),
            "1/3"));
    }

    @Test
    void boundsDoNotOverflow()
    {
        assertThat(DEFAULTS.isFuture(Long.MAX_VALUE - 10, Long.MAX_VALUE)).isFalse();
        assertThat(DEFAULTS.isFuture(0, Long.MAX_VALUE)).isTrue();
        assertThat(DEFAULTS.accepted(Long.MIN_VALUE, WindowRules.HOUR, Long.MAX_VALUE)).isTrue();
        assertThat(DEFAULTS.accepted(Long.MAX_VALUE, WindowRules.MINUTE, Long.MIN_VALUE)).isFalse();
        assertThat(WindowRules.windowStartSeconds(WindowRules.MINUTE, Long.MIN_VALUE))
            .isEqualTo(Math.floorDiv(Long.MIN_VALUE, 60_000L) * 60);
    }

    private static Map<RowKey, String> counts(final Map<RowKey, Tally> rows)
    {
        final java.util.HashMap<RowKey, String> out = new java.util.HashMap<>();
        rows.forEach((k, v) -> out.put(k, v.count() + "/" + v.sum()));
        assertThat(rows.values()).allMatch(t -> t.sum().compareTo(BigInteger.ZERO) > 0);
        return out;
    }

    private static RowKey minute(final String hhmm)
    {
        return new RowKey(WindowRules.MINUTE, at(hhmm + ":00") / 1000, 1, "DE");
    }

    private static RowKey hour(final String hhmm)
    {
        return new RowKey(WindowRules.HOUR, at(hhmm + ":00") / 1000, 1, "DE");
    }

    private static long at(final String hhmmss)
    {
        return Instant.parse("2026-01-01T" + hhmmss + "Z").toEpochMilli();
    }

    private static String event(final long account, final long eventTime, final long amount)
    {
        return "{\"event_id\":\"0f8fad5b-d9cb-469f-a165-70867728950e\",\"account_id\":" + account +
            ",\"country\":\"DE\",\"event_time\":" + eventTime + ",\"amount\":" + amount + ",\"kind\":\"purchase\"}";
    }

    private static ConsumerRecord<byte[], byte[]> record(final int partition, final long offset, final long timestamp,
        final String value)
    {
        final byte[] bytes = value == null ? null : value.getBytes(StandardCharsets.UTF_8);
        return new ConsumerRecord<>("events", partition, offset, timestamp, TimestampType.CREATE_TIME, 8,
            bytes == null ? 0 : bytes.length, new byte[8], bytes, new RecordHeaders(), Optional.empty());
    }
}
