package dev.tally.verify;

import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.temporal.ChronoUnit;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.data_formats.ClickHouseBinaryFormatReader;
import com.clickhouse.client.api.query.QueryResponse;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import dev.tally.codec.RecordFraming;

import static org.assertj.core.api.Assertions.assertThat;

/** What {@link VerifyStackTest} does to Kafka and ClickHouse besides running verify: commits and corruptions. */
final class StackFixtures
{
    /** A rollup row overwritten with a higher version: its key and its true content. */
    record Corruption(RowKey key, int partition, long version, long count, BigInteger sum)
    {
    }

    private StackFixtures()
    {
    }

    static Map<Integer, Long> endOffsets(final String bootstrap, final String topic, final int partitions)
    {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap, null))
        {
            final Map<Integer, Long> ends = new HashMap<>();
            for (int p = 0; p < partitions; p++)
            {
                final TopicPartition tp = new TopicPartition(topic, p);
                ends.put(p, consumer.endOffsets(List.of(tp)).get(tp));
            }
            return ends;
        }
    }

    /** Commit offsets with metadata as a member of {@code group}, the way the engine does. */
    static void commit(final String bootstrap, final String group, final Map<TopicPartition, OffsetAndMetadata> offsets)
    {
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap, group))
        {
            consumer.assign(offsets.keySet());
            consumer.commitSync(offsets);
        }
    }

    /**
     * Insert, for the fullest row of {@code kind}, a row whose version is {@code versionBump} higher and which
     * counts {@code extra} more events.
     */
    static Corruption overwriteRollup(final String endpoint, final int kind, final long versionBump, final long extra)
    {
        final String table = "tally." + ClickHouseSource.table(kind);
        final Object[] found = new Object[7];
        query(endpoint, "SELECT toUnixTimestamp(window_start) AS ws, toString(account_id) AS a, toString(country) AS c, " +
            "source_partition AS p, toString(version) AS v, toString(event_count) AS n, toString(sum_amount) AS s " +
            "FROM " + table + " FINAL ORDER BY event_count DESC, window_start, account_id LIMIT 1", r ->
            {
                found[0] = r.getLong("ws");
                found[1] = r.getString("a");
                found[2] = r.getString("c");
                found[3] = r.getInteger("p");
                found[4] = r.getString("v");
                found[5] = r.getString("n");
                found[6] = r.getString("s");
            });
        assertThat(found[0]).as("a minute row to corrupt").isNotNull();
        final long count = Long.parseLong((String)found[5]);
        final long[] total = new long[1];
        final BigInteger[] sum = new BigInteger[1];
        query(endpoint, "SELECT toString(event_count) AS n, toString(sum_amount) AS s FROM " + table + "_final " +
            "WHERE window_start = toDateTime(" + found[0] + ", 'UTC') AND account_id = " + found[1] +
            " AND country = '" + found[2] + "'", r ->
            {
                total[0] = Long.parseLong(r.getString("n"));
                sum[0] = new BigInteger(r.getString("s"));
            });
        execute(endpoint, "INSERT INTO " + table + " (window_start, account_id, country, source_partition, " +
            "event_count, sum_amount, version, batch_id, emitted_at) VALUES (toDateTime(" + found[0] + ", 'UTC'), " +
            found[1] + ", '" + found[2] + "', " + found[3] + ", " + (count + extra) + ", " + found[6] + ", " +
            (Long.parseLong((String)found[4]) + versionBump) + ", 0, now64(3))");
        return new Corruption(new RowKey(kind, (Long)found[0], Long.parseLong((String)found[1]), (String)found[2]),
            (Integer)found[3], Long.parseLong((String)found[4]) + versionBump, total[0], sum[0]);
    }

    /** Copy a malformed record's {@code late_events} row as if it had also been late for minute windows. */
    static SideKey duplicateLateEvent(final String endpoint)
    {
        final Object[] found = new Object[2];
        query(endpoint, "SELECT source_partition AS p, toString(`offset`) AS o FROM tally.late_events FINAL " +
            "WHERE window_kind = -1 ORDER BY source_partition, `offset` LIMIT 1", r ->
            {
                found[0] = r.getInteger("p");
                found[1] = r.getString("o");
            });
        assertThat(found[0]).as("a malformed record in late_events").isNotNull();
        execute(endpoint, "INSERT INTO tally.late_events (source_partition, `offset`, window_kind, reason, event_time, " +
            "account_id, country, amount, raw, detected_at) VALUES (" + found[0] + ", " + found[1] +
            ", 0, 'late', now64(3), 0, 'DE', 0, '', now64(3))");
        return new SideKey((Integer)found[0], Long.parseLong((String)found[1]), WindowRules.MINUTE);
    }

    /**
     * Append two records to partition 0: a valid JSON event without generator headers, and a record that claims to
     * be event 5 of the run but carries other bytes.
     *
     * @return their offsets.
     */
    static long[] appendForeignRecords(final String bootstrap, final String topic)
    {
        final Header run;
        try (KafkaConsumer<byte[], byte[]> consumer = consumer(bootstrap, null))
        {
            final TopicPartition tp = new TopicPartition(topic, 0);
            consumer.assign(List.of(tp));
            consumer.seekToBeginning(List.of(tp));
            ConsumerRecord<byte[], byte[]> first = null;
            while (first == null)
            {
                final var records = consumer.poll(Duration.ofMillis(500)).records(tp);
                first = records.isEmpty() ? null : records.get(0);
            }
            run = first.headers().lastHeader(RecordFraming.RUN_HEADER);
        }
        final Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer()))
        {
            final byte[] key = new byte[8];
            RecordFraming.putLongBigEndian(key, 0, 3);
            final byte[] json = ("{\"event_id\":\"0f8fad5b-d9cb-469f-a165-70867728950e\",\"account_id\":3," +
                "\"country\":\"DE\",\"event_time\":1767225660000,\"amount\":100,\"kind\":\"purchase\"}")
                .getBytes(StandardCharsets.UTF_8);
            final long first = producer.send(new ProducerRecord<>(topic, 0, key, json)).get().offset();
            final byte[] idx = new byte[8];
            RecordFraming.putLongBigEndian(idx, 0, 5);
            final RecordHeaders headers = new RecordHeaders();
            headers.add(new RecordHeader(RecordFraming.INDEX_HEADER, idx));
            headers.add(run);
            final long second = producer.send(new ProducerRecord<>(topic, 0, null, key, json, headers)).get().offset();
            return new long[] {first, second};
        }
        catch (final Exception e)
        {
            throw new IllegalStateException(e);
        }
    }

    private static KafkaConsumer<byte[], byte[]> consumer(final String bootstrap, final String group)
    {
        final Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        if (group != null)
        {
            p.put(ConsumerConfig.GROUP_ID_CONFIG, group);
        }
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }

    private static Client client(final String endpoint)
    {
        return new Client.Builder().addEndpoint(endpoint).setUsername("default").setPassword("")
            .setSocketTimeout(60, ChronoUnit.SECONDS).build();
    }

    @SuppressWarnings("try")
    private static void query(final String endpoint, final String sql, final Consumer<ClickHouseBinaryFormatReader> row)
    {
        try (Client client = client(endpoint);
            QueryResponse response = client.query(sql).get(60, TimeUnit.SECONDS))
        {
            final ClickHouseBinaryFormatReader reader = client.newBinaryFormatReader(response);
            while (reader.hasNext())
            {
                reader.next();
                row.accept(reader);
            }
        }
        catch (final Exception e)
        {
            throw new IllegalStateException(sql, e);
        }
    }

    private static void execute(final String endpoint, final String sql)
    {
        try (Client client = client(endpoint))
        {
            client.execute(sql).get(60, TimeUnit.SECONDS).close();
        }
        catch (final Exception e)
        {
            throw new IllegalStateException(sql, e);
        }
    }
}
