package dev.tally.peers.streams;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Instant;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.agrona.concurrent.UnsafeBuffer;
import org.apache.kafka.common.Metric;
import org.apache.kafka.common.MetricName;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsConfig;
import org.apache.kafka.streams.TestInputTopic;
import org.apache.kafka.streams.TestOutputTopic;
import org.apache.kafka.streams.TopologyTestDriver;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import dev.tally.codec.Country;
import dev.tally.codec.EventEncoder;
import dev.tally.codec.EventKind;
import dev.tally.codec.JsonEventEncoder;
import dev.tally.codec.MutableEvent;
import dev.tally.gen.EventGenerator;
import dev.tally.gen.GenConfig;

/**
 * The Streams rollup on {@link TopologyTestDriver}: decoding of both forms, malformed values counted and left out,
 * minute and hour sums and counts per (account, country), the grace boundary, and a generated stream against a
 * plain aggregation of the same events.
 */
class RollupTopologyTest
{
    private static final String IN = "events";
    private static final String OUT = "events.streams-rollups";
    private static final long T10 = Instant.parse("2026-01-01T10:00:00Z").toEpochMilli();
    private static final int DE = Country.of("DE");
    private static final int FR = Country.of("FR");

    private final RollupCounters counters = new RollupCounters();
    private final EventEncoder binary = new EventEncoder();
    private final JsonEventEncoder json = new JsonEventEncoder();
    private TopologyTestDriver driver;
    private TestInputTopic<byte[], byte[]> input;
    private TestOutputTopic<byte[], RollupRow> output;
    private long eventIds;

    @BeforeEach
    void start()
    {
        final Properties config = new Properties();
        config.put(StreamsConfig.APPLICATION_ID_CONFIG, "rollup-test");
        config.put(StreamsConfig.BOOTSTRAP_SERVERS_CONFIG, "127.0.0.1:1");
        config.put(StreamsConfig.PROCESSING_GUARANTEE_CONFIG, StreamsConfig.EXACTLY_ONCE_V2);
        config.put(StreamsConfig.TOPOLOGY_OPTIMIZATION_CONFIG, StreamsConfig.OPTIMIZE);
        config.put(StreamsConfig.STATESTORE_CACHE_MAX_BYTES_CONFIG, "0");
        driver = new TopologyTestDriver(RollupTopology.build(IN, OUT, java.time.Duration.ofSeconds(30), counters, config), config);
        input = driver.createInputTopic(IN, new ByteArraySerializer(), new ByteArraySerializer());
        output = driver.createOutputTopic(OUT, new ByteArrayDeserializer(), RollupSerdes.row().deserializer());
    }

    @AfterEach
    void stop()
    {
        driver.close();
    }

    @Test
    void sumsAndCountsPerMinuteAndHourOfBothFormsLeavingMalformedOut()
    {
        send(42, DE, T10 + 10_000, 100, false);
        send(42, DE, T10 + 50_000, -30, true);
        send(42, FR, T10 + 20_000, 5, false);
        input.pipeInput(key(42), "not an event".getBytes(), T10 + 20_000);
        input.pipeInput(key(42), new byte[0], T10 + 20_000);
        send(7, DE, T10 + 30_000, 1_000, true);
        send(42, DE, T10 + 65_000, 7, false);

        final Map<String, RollupRow> rows = finalRows();
        assertThat(rows).hasSize(7);
        assertRow(rows, RollupRow.MINUTE, T10, 42, DE, 2, 70);
        assertRow(rows, RollupRow.MINUTE, T10 + 60_000, 42, DE, 1, 7);
        assertRow(rows, RollupRow.HOUR, T10, 42, DE, 3, 77);
        assertRow(rows, RollupRow.MINUTE, T10, 42, FR, 1, 5);
        assertRow(rows, RollupRow.HOUR, T10, 42, FR, 1, 5);
        assertRow(rows, RollupRow.MINUTE, T10, 7, DE, 1, 1_000);
        assertRow(rows, RollupRow.HOUR, T10, 7, DE, 1, 1_000);
        assertThat(counters.records()).isEqualTo(7);
        assertThat(counters.malformed()).isEqualTo(2);
        assertThat(counters.rows()).as("one update per kind for each of the 5 well-formed events, no cache").isEqualTo(10);
        assertThat(droppedRecords()).isZero();
    }

    @Test
    void aRecordWhoseMinuteClosedByGraceIsDroppedThereButCountedInItsHour()
    {
        send(42, DE, T10 + 10_000, 100, false);
        // Stream time reaches end of minute [10:00) + grace exactly: that window is closed, equality is late.
        send(42, DE, T10 + 90_000, 1, false);
        send(42, DE, T10 + 59_000, 1_000, false);

        final Map<String, RollupRow> rows = finalRows();
        assertRow(rows, RollupRow.MINUTE, T10, 42, DE, 1, 100);
        assertRow(rows, RollupRow.MINUTE, T10 + 60_000, 42, DE, 1, 1);
        assertRow(rows, RollupRow.HOUR, T10, 42, DE, 3, 1_101);
        assertThat(droppedRecords()).isEqualTo(1);
    }

    @Test
    void aRecordOneMillisecondInsideGraceIsAccepted()
    {
        send(42, DE, T10 + 10_000, 100, false);
        send(42, DE, T10 + 89_999, 1, false);
        send(42, DE, T10 + 59_000, 1_000, false);

        final Map<String, RollupRow> rows = finalRows();
        assertRow(rows, RollupRow.MINUTE, T10, 42, DE, 2, 1_100);
        assertRow(rows, RollupRow.HOUR, T10, 42, DE, 3, 1_101);
        assertThat(droppedRecords()).isZero();
    }

    @Test
    void generatedStreamMatchesAPlainAggregationOfTheSameEvents()
    {
        // 2,000 events over 200 s of event time (4 minute windows), 10 % JSON, 1 % malformed, none late: with
        // the default 1 s spread and 50 ms mean lag no record can be 30 s behind the largest event time.
        final GenConfig config = new GenConfig().seed(11).accounts(500).rate(0).timeRate(10).lateFraction(0)
            .jsonFraction(0.1).malformedFraction(0.01).eventTimeStart(T10);
        final EventGenerator generator = new EventGenerator(config);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[generator.maxValueLength()]);
        final MutableEvent event = new MutableEvent();
        final Map<String, long[]> expected = new HashMap<>();
        long malformed = 0;
        final int events = 2_000;
        for (long i = 0; i < events; i++)
        {
            final int length = generator.encode(i, buffer, 0, event);
            input.pipeInput(key(event.accountId()), Arrays.copyOf(buffer.byteArray(), length), generator.nominalTime(i));
            if (generator.isMalformed(i))
            {
                malformed++;
                continue;
            }
            for (final int kind : List.of(RollupRow.MINUTE, RollupRow.HOUR))
            {
                final long size = kind == RollupRow.MINUTE ? 60_000 : 3_600_000;
                final long start = Math.floorDiv(event.eventTime(), size) * size;
                final long[] agg = expected.computeIfAbsent(id(kind, start, event.accountId(), event.country()), k -> new long[2]);
                agg[0]++;
                agg[1] += event.amount();
            }
        }

        final Map<String, RollupRow> rows = finalRows();
        assertThat(malformed).isPositive();
        assertThat(counters.records()).isEqualTo(events);
        assertThat(counters.malformed()).isEqualTo(malformed);
        assertThat(droppedRecords()).isZero();
        assertThat(rows.keySet()).isEqualTo(expected.keySet());
        expected.forEach((id, agg) ->
        {
            assertThat(rows.get(id).count()).as(id).isEqualTo(agg[0]);
            assertThat(rows.get(id).sum()).as(id).isEqualTo(agg[1]);
        });
        assertThat(rows.values().stream().filter(r -> r.kind() == RollupRow.MINUTE).map(RollupRow::windowStart).distinct())
            .hasSizeGreaterThanOrEqualTo(4);
    }

    private void send(final long account, final int country, final long eventTime, final long amount, final boolean asJson)
    {
        final MutableEvent event = new MutableEvent().eventId(++eventIds, 1).accountId(account).country(country)
            .eventTime(eventTime).amount(amount).kind(amount < 0 ? EventKind.REFUND : EventKind.PURCHASE).payloadLength(0);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final int length = asJson ? json.encode(event, buffer, 0) : binary.wrap(buffer, 0).header(event).encodedLength();
        input.pipeInput(key(account), Arrays.copyOf(buffer.byteArray(), length), eventTime + 100);
    }

    /** The last row written per (kind, window, account, country): what a reader keeping the newest sees. */
    private Map<String, RollupRow> finalRows()
    {
        final Map<String, RollupRow> rows = new HashMap<>();
        for (final KeyValue<byte[], RollupRow> kv : output.readKeyValuesToList())
        {
            final RollupRow r = kv.value;
            assertThat(ByteBuffer.wrap(kv.key).getLong()).isEqualTo(r.accountId());
            rows.put(id(r.kind(), r.windowStart(), r.accountId(), r.country()), r);
        }
        return rows;
    }

    private static void assertRow(final Map<String, RollupRow> rows, final int kind, final long start, final long account,
        final int country, final long count, final long sum)
    {
        final String id = id(kind, start, account, country);
        assertThat(rows).containsKey(id);
        assertThat(rows.get(id).count()).as(id + " count").isEqualTo(count);
        assertThat(rows.get(id).sum()).as(id + " sum").isEqualTo(sum);
    }

    private static String id(final int kind, final long start, final long account, final int country)
    {
        return kind + "/" + start + "/" + account + "/" + Country.toString(country);
    }

    private static byte[] key(final long account)
    {
        return ByteBuffer.allocate(Long.BYTES).putLong(account).array();
    }

    private long droppedRecords()
    {
        double sum = 0;
        for (final Map.Entry<MetricName, ? extends Metric> e : driver.metrics().entrySet())
        {
            if (e.getKey().name().equals("dropped-records-total") && e.getValue().metricValue() instanceof Number n)
            {
                sum += n.doubleValue();
            }
        }
        return Math.round(sum);
    }
}
