package dev.tally.engine.sink;

import dev.tally.engine.EngineCounters;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;

import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Side output to Kafka ({@code rollups.dlq}): every malformed, future or late record with its reason and its
 * original bytes, for people and tools that want the records themselves. Owned by the encoder thread.
 * <pre>
 *   key   : source partition u32 big-endian, source offset u64 big-endian (12 bytes)
 *   value : u8 layout version (1), u8 reason (1 malformed, 2 future, 3 late), i8 window kind (-1 none, 0 minute,
 *           1 hour), u8 reserved (0), u32 raw length little-endian, then the original record value
 * </pre>
 * A late record is published once per window kind it was late for. Delivery is at-least-once (a replay publishes
 * again); the exact count is the ClickHouse table {@code late_events}, keyed by (partition, offset, kind). Sending
 * allocates (a record and two arrays), which is acceptable here: side output is off the hot path.
 */
public final class DeadLetters implements AutoCloseable
{
    public static final int HEADER_LENGTH = 8;

    private final KafkaProducer<byte[], byte[]> producer;
    private final String topic;
    private final EngineCounters counters;

    /** {@code clientSettings}: extra producer settings (TLS, SASL) from {@code --kafka-config}. */
    public DeadLetters(final String bootstrap, final Map<String, String> clientSettings, final String topic,
        final EngineCounters counters)
    {
        final Properties p = new Properties();
        p.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ProducerConfig.CLIENT_ID_CONFIG, "tally-dlq");
        p.put(ProducerConfig.ACKS_CONFIG, "all");
        p.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        p.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        p.put(ProducerConfig.LINGER_MS_CONFIG, "20");
        p.putAll(clientSettings);
        this.producer = new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
        this.topic = topic;
        this.counters = counters;
    }

    public void publish(final RowSlot s)
    {
        final byte[] key = ByteBuffer.allocate(12).putInt(s.partition()).putLong(s.offset()).array();
        final byte[] value = new byte[HEADER_LENGTH + s.rawLength()];
        final ByteBuffer v = ByteBuffer.wrap(value).order(ByteOrder.LITTLE_ENDIAN);
        v.put((byte)1).put((byte)s.reason()).put((byte)s.kind()).put((byte)0).putInt(s.rawLength());
        s.raw().getBytes(0, value, HEADER_LENGTH, s.rawLength());
        producer.send(new ProducerRecord<>(topic, key, value), (meta, e) ->
        {
            if (e != null)
            {
                counters.deadLetterErrors.incrementAndGet();
            }
        });
    }

    /** Sends what is buffered and waits for it (end of input). */
    public void flush()
    {
        producer.flush();
    }

    @Override
    public void close()
    {
        producer.close(Duration.ofSeconds(5));
    }
}
