package dev.tally.gen;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import dev.tally.codec.RecordFraming;

/** Reads a whole topic (read_committed) into per-partition lists, for assertions. */
final class TopicReader
{
    /** One record as the tests compare it: key, value, and the generator headers. */
    record Entry(long index, byte[] key, byte[] value, byte[] run)
    {
        boolean sameBytes(final Entry other)
        {
            return index == other.index && Arrays.equals(key, other.key) && Arrays.equals(value, other.value) &&
                Arrays.equals(run, other.run);
        }
    }

    private TopicReader()
    {
    }

    static List<List<Entry>> read(final String bootstrap, final String topic)
    {
        final Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "5000");
        try (KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer()))
        {
            final List<TopicPartition> partitions = consumer.partitionsFor(topic).stream()
                .map(info -> new TopicPartition(topic, info.partition()))
                .sorted((a, b) -> Integer.compare(a.partition(), b.partition()))
                .toList();
            consumer.assign(partitions);
            consumer.seekToBeginning(partitions);
            final Map<TopicPartition, Long> end = consumer.endOffsets(partitions);
            final List<List<Entry>> result = new ArrayList<>();
            for (int p = 0; p < partitions.size(); p++)
            {
                result.add(new ArrayList<>());
            }
            final long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
            while (partitions.stream().anyMatch(tp -> consumer.position(tp) < end.get(tp)))
            {
                if (System.nanoTime() > deadline)
                {
                    throw new IllegalStateException("timed out reading " + topic);
                }
                for (final ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200)))
                {
                    final long index = RecordFraming.getLongBigEndian(
                        r.headers().lastHeader(RecordFraming.INDEX_HEADER).value(), 0);
                    result.get(r.partition()).add(
                        new Entry(index, r.key(), r.value(), r.headers().lastHeader(RecordFraming.RUN_HEADER).value()));
                }
            }
            return result;
        }
    }

    static long count(final String bootstrap, final String topic)
    {
        final Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        try (KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer()))
        {
            final List<TopicPartition> partitions = consumer.partitionsFor(topic, Duration.ofSeconds(10)).stream()
                .map(info -> new TopicPartition(topic, info.partition())).toList();
            return consumer.endOffsets(partitions).values().stream().mapToLong(Long::longValue).sum();
        }
    }
}
