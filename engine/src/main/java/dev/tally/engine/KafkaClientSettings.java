package dev.tally.engine;

import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * {@code --kafka-config FILE}: Kafka client settings the engine does not choose itself, such as
 * {@code security.protocol}, {@code ssl.*} and {@code sasl.*} for a cluster behind TLS or SASL, read from a
 * properties file and added to the properties of every Kafka client the engine opens (the consumer, the dead-letter
 * producer and the admin client). A file rather than flags, so key store and SASL passwords never show on a command
 * line or in a process listing.
 * <p>
 * Keys the engine sets itself are refused, each with the flag or reason that owns it: a file must never quietly
 * change the read isolation, the commits or the consumer group that exactly-once rests on.
 */
public final class KafkaClientSettings
{
    /** The keys the engine sets on its clients, with what to do instead. */
    private static final Map<String, String> OWNED = Map.ofEntries(
        Map.entry("bootstrap.servers", "pass --bootstrap"),
        Map.entry("group.id", "pass --group"),
        Map.entry("session.timeout.ms", "pass --session-timeout"),
        Map.entry("heartbeat.interval.ms", "it follows --session-timeout"),
        Map.entry("isolation.level", "the engine reads read_committed"),
        Map.entry("enable.auto.commit", "the engine commits the positions its inserts cover"),
        Map.entry("auto.offset.reset", "the engine starts a new group at the earliest offset"),
        Map.entry("partition.assignment.strategy", "the engine uses cooperative rebalancing"),
        Map.entry("max.poll.records", "set by the engine"),
        Map.entry("max.partition.fetch.bytes", "set by the engine"),
        Map.entry("client.id", "set by the engine"),
        Map.entry("acks", "the dead-letter producer waits for all replicas"),
        Map.entry("enable.idempotence", "the dead-letter producer is idempotent"),
        Map.entry("compression.type", "set by the engine"),
        Map.entry("linger.ms", "set by the engine"),
        Map.entry("key.deserializer", "the engine reads raw bytes"),
        Map.entry("value.deserializer", "the engine reads raw bytes"),
        Map.entry("key.serializer", "the engine writes raw bytes"),
        Map.entry("value.serializer", "the engine writes raw bytes"));

    private KafkaClientSettings()
    {
    }

    /**
     * The settings in {@code file}, or none when {@code file} is null.
     *
     * @throws IllegalArgumentException naming the file when it cannot be read, or the key when the engine owns it
     */
    public static Map<String, String> load(final Path file)
    {
        if (file == null)
        {
            return Map.of();
        }
        final Properties properties = new Properties();
        try (Reader r = Files.newBufferedReader(file, StandardCharsets.UTF_8))
        {
            properties.load(r);
        }
        catch (final IOException e)
        {
            throw new IllegalArgumentException("cannot read --kafka-config " + file + ": " + e.getMessage());
        }
        final Map<String, String> settings = new TreeMap<>();
        properties.stringPropertyNames().forEach(key -> settings.put(key.strip(), properties.getProperty(key).strip()));
        check(settings);
        return Map.copyOf(settings);
    }

    /** @throws IllegalArgumentException naming the first key the engine sets itself, and what to do instead */
    public static void check(final Map<String, String> settings)
    {
        for (final String key : new TreeMap<>(settings).keySet())
        {
            final String instead = OWNED.get(key);
            if (instead != null)
            {
                throw new IllegalArgumentException("--kafka-config must not set " + key + " (" + instead + ")");
            }
        }
    }
}
