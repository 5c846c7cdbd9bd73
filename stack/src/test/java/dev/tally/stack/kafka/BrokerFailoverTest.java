package dev.tally.stack.kafka;

import dev.tally.stack.Pids;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.BitSet;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Three brokers, RF=3, min.insync.replicas=2: kill -9 one broker while an acks=all producer keeps sending,
 * restart it, and every acknowledged record is still there exactly once.
 */
class BrokerFailoverTest
{
    private static final String TOPIC = "failover";
    private static final int PARTITIONS = 6;

    /** Kept when the test fails, so the brokers' server.log can be read. */
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void acknowledgedRecordsSurviveKill9OfOneBroker() throws Exception
    {
        try (LocalKafka kafka = LocalKafka.start(3, dir))
        {
            kafka.createTopic(TOPIC, PARTITIONS, 3);
            final int victim = 1;
            final BitSet acked = new BitSet();
            final AtomicInteger failed = new AtomicInteger();
            final AtomicLong ackedCount = new AtomicLong();
            int sent = 0;

            try (KafkaProducer<byte[], byte[]> producer = KafkaRoundTripTest.producer(kafka.bootstrap()))
            {
                sent = sendBatch(producer, sent, 50_000, acked, ackedCount, failed);
                final long victimPid = kafka.pid(victim);
                kafka.kill9(victim);
                assertThat(Pids.alive(victimPid)).isFalse();

                sent = sendBatch(producer, sent, 50_000, acked, ackedCount, failed);
                kafka.restart(victim, Duration.ofSeconds(90));
                assertThat(Pids.alive(kafka.pid(victim))).isTrue();
                sent = sendBatch(producer, sent, 50_000, acked, ackedCount, failed);
            }
            assertThat(ackedCount.get()).as("records acknowledged").isGreaterThan(sent - 1000L);

            final BitSet seen = new BitSet(sent);
            long duplicates = 0;
            long lostToRead = 0;
            try (KafkaConsumer<byte[], byte[]> consumer = KafkaRoundTripTest.consumer(kafka.bootstrap()))
            {
                final List<TopicPartition> tps = java.util.stream.IntStream.range(0, PARTITIONS)
                    .mapToObj(p -> new TopicPartition(TOPIC, p)).toList();
                consumer.assign(tps);
                consumer.seekToBeginning(tps);
                final long deadline = System.nanoTime() + Duration.ofMinutes(2).toNanos();
                int idle = 0;
                while (System.nanoTime() < deadline && idle < 10)
                {
                    final var records = consumer.poll(Duration.ofMillis(300));
                    idle = records.isEmpty() && seen.cardinality() >= ackedCount.get() ? idle + 1 : 0;
                    for (final ConsumerRecord<byte[], byte[]> r : records)
                    {
                        final int index = ByteBuffer.wrap(r.value()).getInt();
                        if (seen.get(index))
                        {
                            duplicates++;
                        }
                        seen.set(index);
                    }
                }
            }
            final BitSet missing = (BitSet)acked.clone();
            missing.andNot(seen);
            lostToRead = missing.cardinality();
            assertThat(lostToRead).as("acknowledged but not readable, e.g. index " + missing.nextSetBit(0)).isZero();
            assertThat(duplicates).as("duplicates from an idempotent producer").isZero();
        }
    }

    private static int sendBatch(final KafkaProducer<byte[], byte[]> producer, final int from, final int count,
        final BitSet acked, final AtomicLong ackedCount, final AtomicInteger failed)
    {
        for (int i = from; i < from + count; i++)
        {
            final int index = i;
            producer.send(new ProducerRecord<>(TOPIC, KafkaRoundTripTest.key(i), KafkaRoundTripTest.value(i)), (m, e) ->
            {
                if (e == null)
                {
                    synchronized (acked)
                    {
                        acked.set(index);
                    }
                    ackedCount.incrementAndGet();
                }
                else
                {
                    failed.incrementAndGet();
                }
            });
        }
        producer.flush();
        return from + count;
    }
}
