package dev.tally.stack.kafka;

import dev.tally.codec.Topics;
import dev.tally.stack.StackException;

import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * Is the cluster really serving? All brokers registered, and a record produced with acks=all reads back
 * under read_committed from the health topic.
 */
public final class KafkaHealth
{
    public static final String HEALTH_TOPIC = "_tally_health";

    private KafkaHealth()
    {
    }

    /**
     * Waits until {@link #check} passes, failing early with {@code deadReason}'s message when it returns one
     * (a node process died), or with the last error when {@code timeout} passes.
     */
    public static void await(final String bootstrap, final int brokers, final Duration timeout,
        final Supplier<String> deadReason)
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        String last = "no answer";
        while (System.nanoTime() < deadline)
        {
            final String dead = deadReason.get();
            if (dead != null)
            {
                throw new StackException(dead);
            }
            try
            {
                check(bootstrap, brokers);
                return;
            }
            catch (final RuntimeException | ExecutionException | java.util.concurrent.TimeoutException e)
            {
                last = rootMessage(e);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                throw new StackException("interrupted while waiting for Kafka at " + bootstrap);
            }
            sleep(250);
        }
        throw new StackException("Kafka at " + bootstrap + " did not become healthy within " + timeout.toSeconds() +
            "s (" + last + ")");
    }

    /** One health check; throws on any shortfall. */
    public static void check(final String bootstrap, final int brokers)
        throws ExecutionException, InterruptedException, java.util.concurrent.TimeoutException
    {
        try (Admin admin = Admin.create(adminProps(bootstrap)))
        {
            final int seen = admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size();
            if (seen < brokers)
            {
                throw new IllegalStateException(seen + " of " + brokers + " brokers registered");
            }
            createTopic(admin, HEALTH_TOPIC, 1, (short)Math.min(3, brokers));
        }
        roundTrip(bootstrap);
    }

    /** The number of brokers answering at {@code bootstrap}, or -1 when none answers within a few seconds. */
    public static int brokerCount(final String bootstrap)
    {
        try (Admin admin = Admin.create(adminProps(bootstrap)))
        {
            return admin.describeCluster().nodes().get(5, TimeUnit.SECONDS).size();
        }
        catch (final ExecutionException | java.util.concurrent.TimeoutException | RuntimeException e)
        {
            return -1;
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            return -1;
        }
    }

    public static void createTopic(final String bootstrap, final String name, final int partitions, final short rf)
    {
        try (Admin admin = Admin.create(adminProps(bootstrap)))
        {
            createTopic(admin, name, partitions, rf);
        }
        catch (final ExecutionException | java.util.concurrent.TimeoutException e)
        {
            throw new StackException("cannot create topic " + name + " at " + bootstrap + ": " + rootMessage(e), e);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while creating topic " + name);
        }
    }

    private static void createTopic(final Admin admin, final String name, final int partitions, final short rf)
        throws ExecutionException, InterruptedException, java.util.concurrent.TimeoutException
    {
        Topics.ensure(admin, name, partitions, rf, rf > 1 ? Map.of("min.insync.replicas", "2") : Map.of(),
            Duration.ofSeconds(30));
    }

    private static void roundTrip(final String bootstrap)
        throws ExecutionException, InterruptedException, java.util.concurrent.TimeoutException
    {
        final byte[] token = Long.toString(System.nanoTime()).getBytes(java.nio.charset.StandardCharsets.US_ASCII);
        final RecordMetadata meta;
        final Properties pp = new Properties();
        pp.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        pp.put(ProducerConfig.ACKS_CONFIG, "all");
        pp.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        pp.put(ProducerConfig.DELIVERY_TIMEOUT_MS_CONFIG, "10000");
        pp.put(ProducerConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        pp.put(ProducerConfig.MAX_BLOCK_MS_CONFIG, "5000");
        try (KafkaProducer<byte[], byte[]> producer =
            new KafkaProducer<>(pp, new ByteArraySerializer(), new ByteArraySerializer()))
        {
            meta = producer.send(new ProducerRecord<>(HEALTH_TOPIC, 0, null, token)).get(10, TimeUnit.SECONDS);
        }

        final Properties cp = new Properties();
        cp.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        cp.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        cp.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        try (KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(cp, new ByteArrayDeserializer(), new ByteArrayDeserializer()))
        {
            final TopicPartition tp = new TopicPartition(HEALTH_TOPIC, 0);
            consumer.assign(List.of(tp));
            consumer.seek(tp, meta.offset());
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
            while (System.nanoTime() < deadline)
            {
                for (final ConsumerRecord<byte[], byte[]> r : consumer.poll(Duration.ofMillis(200)))
                {
                    if (r.offset() == meta.offset() && java.util.Arrays.equals(r.value(), token))
                    {
                        return;
                    }
                }
            }
        }
        throw new IllegalStateException("produced a record at offset " + meta.offset() + " but could not read it back");
    }

    private static Properties adminProps(final String bootstrap)
    {
        final Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "8000");
        return p;
    }

    static String rootMessage(final Throwable e)
    {
        Throwable t = e;
        while (t.getCause() != null && t.getCause() != t)
        {
            t = t.getCause();
        }
        final String m = t.getMessage();
        return t.getClass().getSimpleName() + (m == null ? "" : ": " + m.lines().findFirst().orElse(""));
    }

    private static void sleep(final long ms)
    {
        try
        {
            Thread.sleep(ms);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }
}
