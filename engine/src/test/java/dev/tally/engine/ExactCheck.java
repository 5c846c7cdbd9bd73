package dev.tally.engine;

import dev.tally.codec.Country;
import dev.tally.codec.DecodeResult;
import dev.tally.codec.MutableEvent;
import dev.tally.codec.ValueDecoder;

import java.math.BigInteger;
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

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The test oracle: the windowing semantics recomputed from the topic with plain maps and BigInteger (no engine code),
 * compared row for row with the rollup views, and record for record with late_events and rollups.dlq.
 */
final class ExactCheck
{
    private static final long DELAY = 2_000;
    private static final long LATENESS = 30_000;
    private static final long FUTURE_SKEW = 3_600_000;

    record Key(int kind, long windowStartSec, long accountId, String country)
    {
    }

    record Side(int partition, long offset, int kind, String reason)
    {
    }

    private final String bootstrap;
    private final String endpoint;
    private final String topic;
    private final int partitions;

    ExactCheck(final String bootstrap, final String endpoint, final String topic, final int partitions)
    {
        this.bootstrap = bootstrap;
        this.endpoint = endpoint;
        this.topic = topic;
        this.partitions = partitions;
    }

    /**
     * Asserts ClickHouse holds exactly the reference and the dead-letter topic every side-output record and nothing
     * else, each once when {@code deadLettersOnce} (no crash happened: the topic is at-least-once across replays).
     * Returns the expected side output.
     */
    @SuppressWarnings("try") // QueryResponse.close() declares InterruptedException; closing it is all we want.
    Set<Side> assertExact(final boolean deadLettersOnce) throws Exception
    {
        final Map<Key, long[]> counts = new HashMap<>();
        final Map<Key, BigInteger> sums = new HashMap<>();
        final Set<Side> side = new HashSet<>();
        reference(counts, sums, side);

        try (Client client = new Client.Builder().addEndpoint(endpoint).setUsername("default")
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
        if (deadLettersOnce)
        {
            assertThat(deadLetters).as("one dead letter per side-output record").hasSize(side.size());
        }
        assertThat(new HashSet<>(deadLetters)).isEqualTo(side);
        return side;
    }

    /** Everything on rollups.dlq, decoded from its documented key and value layout. */
    private List<Side> deadLetters()
    {
        final Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
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
    private void reference(final Map<Key, long[]> counts, final Map<Key, BigInteger> sums, final Set<Side> side)
    {
        final Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
        final ValueDecoder decoder = new ValueDecoder();
        final MutableEvent e = new MutableEvent();
        try (KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer()))
        {
            for (int partition = 0; partition < partitions; partition++)
            {
                final TopicPartition tp = new TopicPartition(topic, partition);
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
