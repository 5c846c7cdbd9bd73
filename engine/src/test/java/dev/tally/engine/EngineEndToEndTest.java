package dev.tally.engine;

import dev.tally.codec.Country;
import dev.tally.codec.DecodeResult;
import dev.tally.codec.MutableEvent;
import dev.tally.codec.ValueDecoder;
import dev.tally.gen.GenMain;
import dev.tally.stack.Ports;
import dev.tally.stack.ServiceProcess;
import dev.tally.stack.clickhouse.LocalClickHouse;
import dev.tally.stack.kafka.LocalKafka;

import java.math.BigInteger;
import java.nio.file.Path;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.data_formats.ClickHouseBinaryFormatReader;
import com.clickhouse.client.api.query.QueryResponse;
import org.agrona.concurrent.UnsafeBuffer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole engine on the local stack: 2M generated events (out of order, late within and beyond the allowed
 * lateness, JSON and malformed ones among them) through {@code run --stop-at-end}, then the rollup views and the
 * side-output table compared exactly with a plain-maps reference computed from the topic itself.
 */
class EngineEndToEndTest
{
    private static final int EVENTS = 2_000_000;
    private static final int PARTITIONS = 4;
    private static final String TOPIC = "events";
    private static final long DELAY = 2_000;
    private static final long LATENESS = 30_000;
    private static final long FUTURE_SKEW = 3_600_000;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;

    private static LocalKafka kafka;
    private static ServiceProcess clickhouse;

    record Key(int kind, long windowStartSec, long accountId, String country)
    {
    }

    record Side(int partition, long offset, int kind, String reason)
    {
    }

    @BeforeAll
    static void startStack()
    {
        kafka = LocalKafka.start(1, dir.resolve("kafka"));
        clickhouse = LocalClickHouse.start("clickhouse-e2e", Ports.freePort(), dir.resolve("ch"),
            dir.resolve("ch.log"), LocalClickHouse.Options.defaults());
    }

    @AfterAll
    static void stopStack()
    {
        if (clickhouse != null)
        {
            LocalClickHouse.stop(clickhouse);
        }
        if (kafka != null)
        {
            kafka.close();
        }
    }

    @Test
    @SuppressWarnings("try") // QueryResponse.close() declares InterruptedException; closing it is all we want.
    void rollupsAndSideOutputEqualTheReferenceExactly() throws Exception
    {
        assertThat(GenMain.run("--bootstrap", kafka.bootstrap(), "--topic", TOPIC, "--partitions",
            Integer.toString(PARTITIONS), "--events", Integer.toString(EVENTS), "--rate", "0", "--time-rate", "2000",
            "--accounts", "100000", "--seed", "42", "--event-time-start", "2026-01-01T00:00:00Z",
            "--late-fraction", "0.02", "--json-fraction", "0.05", "--malformed-fraction", "0.001",
            "--progress-interval", "1h")).isZero();

        final EngineConfig config = new EngineConfig();
        config.bootstrap = kafka.bootstrap();
        config.topic = TOPIC;
        config.clickhouseUrl = clickhouse.endpoint();
        config.stopAtEnd = true;
        config.emitInterval = Duration.ofMillis(200);
        config.batchRows = 50_000;
        try (Engine engine = Engine.start(config))
        {
            assertThat(engine.awaitFinished(Duration.ofMinutes(4))).as("engine finished, failure: %s", engine.failure())
                .isTrue();
            assertThat(engine.counters().recordsIn.get()).isEqualTo(EVENTS);
        }

        final Map<Key, long[]> counts = new HashMap<>();
        final Map<Key, BigInteger> sums = new HashMap<>();
        final Set<Side> side = new HashSet<>();
        reference(counts, sums, side);
        assertThat(side.stream().filter(s -> s.reason().equals("late")).count()).as("late records exercised")
            .isGreaterThan(1000);
        assertThat(side.stream().filter(s -> s.reason().equals("malformed")).count()).isGreaterThan(100);

        try (Client client = new Client.Builder().addEndpoint(clickhouse.endpoint()).setUsername("default")
            .setPassword("").setSocketTimeout(120, ChronoUnit.SECONDS).build())
        {
            final Map<Key, long[]> unmatched = new HashMap<>(counts);
            int mismatches = 0;
            for (final String view : List.of("rollup_minute_final", "rollup_hour_final"))
            {
                final int kind = view.startsWith("rollup_minute") ? 0 : 1;
                try (QueryResponse response = client.query("SELECT toUnixTimestamp(window_start) AS ws, account_id, " +
                    "country, event_count, toString(sum_amount) AS s FROM tally." + view).get(120, TimeUnit.SECONDS))
                {
                    final ClickHouseBinaryFormatReader reader = client.newBinaryFormatReader(response);
                    while (reader.hasNext())
                    {
                        reader.next();
                        final Key key = new Key(kind, reader.getLong("ws"), reader.getLong("account_id"),
                            reader.getString("country"));
                        final long[] expected = unmatched.remove(key);
                        if (expected == null || expected[0] != reader.getLong("event_count") ||
                            !sums.get(key).equals(new BigInteger(reader.getString("s"))))
                        {
                            mismatches++;
                        }
                    }
                }
            }
            assertThat(mismatches).as("rows differing from the reference").isZero();
            assertThat(unmatched).as("reference rows missing in ClickHouse").isEmpty();

            final Set<Side> landed = new HashSet<>();
            try (QueryResponse response = client.query("SELECT source_partition, offset, window_kind, reason " +
                "FROM tally.late_events FINAL").get(120, TimeUnit.SECONDS))
            {
                final ClickHouseBinaryFormatReader reader = client.newBinaryFormatReader(response);
                while (reader.hasNext())
                {
                    reader.next();
                    landed.add(new Side(reader.getInteger("source_partition"), reader.getLong("offset"),
                        reader.getByte("window_kind"), reader.getString("reason")));
                }
            }
            assertThat(landed).isEqualTo(side);
        }

        final List<Side> deadLetters = deadLetters();
        assertThat(deadLetters).as("one dead letter per side-output record").hasSize(side.size());
        assertThat(new HashSet<>(deadLetters)).isEqualTo(side);
    }

    /** Everything on rollups.dlq, decoded from its documented key and value layout. */
    private static List<Side> deadLetters()
    {
        final Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        final List<Side> out = new java.util.ArrayList<>();
        try (KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer()))
        {
            final List<TopicPartition> tps = consumer.partitionsFor("rollups.dlq").stream()
                .map(i -> new TopicPartition("rollups.dlq", i.partition())).toList();
            consumer.assign(tps);
            consumer.seekToBeginning(tps);
            final Map<TopicPartition, Long> ends = consumer.endOffsets(tps);
            while (tps.stream().anyMatch(tp -> consumer.position(tp) < ends.get(tp)))
            {
                for (final ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500)))
                {
                    final java.nio.ByteBuffer key = java.nio.ByteBuffer.wrap(r.key());
                    final java.nio.ByteBuffer value = java.nio.ByteBuffer.wrap(r.value())
                        .order(java.nio.ByteOrder.LITTLE_ENDIAN);
                    assertThat(value.get()).as("layout version").isEqualTo((byte)1);
                    final int reason = value.get();
                    final int kind = value.get();
                    value.get();
                    assertThat(value.getInt()).isEqualTo(r.value().length - 8);
                    out.add(new Side(key.getInt(), key.getLong(), kind,
                        reason == 1 ? "malformed" : reason == 2 ? "future" : "late"));
                }
            }
        }
        return out;
    }

    /** The windowing semantics over the topic as written, with plain maps and BigInteger. */
    private static void reference(final Map<Key, long[]> counts, final Map<Key, BigInteger> sums, final Set<Side> side)
    {
        final Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, kafka.bootstrap());
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
        final ValueDecoder decoder = new ValueDecoder();
        final MutableEvent e = new MutableEvent();
        try (KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer()))
        {
            for (int partition = 0; partition < PARTITIONS; partition++)
            {
                final TopicPartition tp = new TopicPartition(TOPIC, partition);
                consumer.assign(List.of(tp));
                consumer.seekToBeginning(List.of(tp));
                final long end = consumer.endOffsets(List.of(tp)).get(tp);
                Long max = null;
                while (consumer.position(tp) < end)
                {
                    for (final ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500)))
                    {
                        final UnsafeBuffer value = new UnsafeBuffer(r.value());
                        if (decoder.decode(value, 0, r.value().length, e) != DecodeResult.OK)
                        {
                            side.add(new Side(partition, r.offset(), -1, "malformed"));
                            continue;
                        }
                        final long t = e.eventTime();
                        if (r.timestamp() >= 0 && t > r.timestamp() + FUTURE_SKEW)
                        {
                            side.add(new Side(partition, r.offset(), -1, "future"));
                            continue;
                        }
                        for (int kind = 0; kind < 2; kind++)
                        {
                            final long size = kind == 0 ? 60_000 : 3_600_000;
                            final long start = Math.floorDiv(t, size) * size;
                            if (max == null || max - DELAY < start + size + LATENESS)
                            {
                                final Key key = new Key(kind, start / 1000, e.accountId(), Country.toString(e.country()));
                                counts.computeIfAbsent(key, k -> new long[1])[0]++;
                                sums.merge(key, BigInteger.valueOf(e.amount()), BigInteger::add);
                            }
                            else
                            {
                                side.add(new Side(partition, r.offset(), kind, "late"));
                            }
                        }
                        max = max == null ? t : Math.max(max, t);
                    }
                }
            }
        }
    }
}
