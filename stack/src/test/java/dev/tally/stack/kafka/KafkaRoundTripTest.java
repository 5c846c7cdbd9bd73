package dev.tally.stack.kafka;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicReference;
import java.util.zip.CRC32C;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/** A real 1-broker cluster: 1M records through an idempotent producer come back exactly, under read_committed. */
class KafkaRoundTripTest
{
    private static final int RECORDS = 1_000_000;
    private static final int PARTITIONS = 8;

    /** Kept when the test fails, so the brokers' server.log can be read. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void millionRecordsRoundTripWithCountAndChecksum() throws Exception
    {
        try (LocalKafka kafka = LocalKafka.start(1, dir))
        {
            kafka.createTopic("roundtrip", PARTITIONS, 1);

            long sentSum = 0;
            final AtomicReference<Exception> sendError = new AtomicReference<>();
            try (KafkaProducer<byte[], byte[]> producer = producer(kafka.bootstrap()))
            {
                for (int i = 0; i < RECORDS; i++)
                {
                    final byte[] value = value(i);
                    sentSum += crc(value);
                    producer.send(new ProducerRecord<>("roundtrip", key(i), value), (m, e) ->
                    {
                        if (e != null)
                        {
                            sendError.compareAndSet(null, e);
                        }
                    });
                }
                producer.flush();
            }
            assertThat(sendError.get()).isNull();

            final BitSet seen = new BitSet(RECORDS);
            long count = 0;
            long readSum = 0;
            long duplicates = 0;
            try (KafkaConsumer<byte[], byte[]> consumer = consumer(kafka.bootstrap()))
            {
                final List<PartitionInfo> parts = consumer.partitionsFor("roundtrip");
                assertThat(parts).hasSize(PARTITIONS);
                final List<TopicPartition> tps = parts.stream().map(p -> new TopicPartition("roundtrip", p.partition())).toList();
                consumer.assign(tps);
                consumer.seekToBeginning(tps);
                final long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                while (count < RECORDS && System.nanoTime() < deadline)
                {
                    for (final ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(500)))
                    {
                        final int index = ByteBuffer.wrap(r.value()).getInt();
                        if (seen.get(index))
                        {
                            duplicates++;
                        }
                        seen.set(index);
                        assertThat(r.key()).isEqualTo(key(index));
                        readSum += crc(r.value());
                        count++;
                    }
                }
            }
            assertThat(duplicates).isZero();
            assertThat(count).isEqualTo(RECORDS);
            assertThat(seen.cardinality()).isEqualTo(RECORDS);
            assertThat(readSum).isEqualTo(sentSum);
        }
    }

    static byte[] key(final int i)
    {
        return ByteBuffer.allocate(8).putLong(i * 0x9E3779B97F4A7C15L).array();
    }

    /** 100 bytes: the index, then bytes derived from it, so a corrupted or swapped value changes the checksum. */
    static byte[] value(final int i)
    {
        final ByteBuffer b = ByteBuffer.allocate(100).putInt(i);
        long x = i * 0xBF58476D1CE4E5B9L + 1;
        while (b.remaining() >= 8)
        {
            x ^= x >>> 31;
            x *= 0x94D049BB133111EBL;
            b.putLong(x);
        }
        return b.array();
    }

    static long crc(final byte[] value)
    {
        final CRC32C c = new CRC32C();
        c.update(value);
        return c.getValue();
    }

    static KafkaProducer<byte[], byte[]> producer(final String bootstrap)
    {
        final Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "5");
        p.put(ProducerConfig.BATCH_SIZE_CONFIG, "262144");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
    }

    static KafkaConsumer<byte[], byte[]> consumer(final String bootstrap)
    {
        final Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        return new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    }
}
