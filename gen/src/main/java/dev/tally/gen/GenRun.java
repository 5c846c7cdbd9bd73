package dev.tally.gen;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.agrona.concurrent.UnsafeBuffer;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerConfig;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.ByteArraySerializer;

import dev.tally.codec.MutableEvent;
import dev.tally.codec.Topics;

/**
 * One {@code ./tally gen} run: check Kafka answers, create the topic if missing, find the resume point, send,
 * and print the summary. Ctrl-C stops sending, flushes and commits what was sent.
 */
final class GenRun
{
    private final GenMain options;
    private final GenConfig config;
    private final PrintStream err = System.err;

    GenRun(final GenMain options, final GenConfig config)
    {
        this.options = options;
        this.config = config;
    }

    int call()
    {
        if (options.dryRun)
        {
            return dryRun();
        }
        final int partitions;
        try (Admin admin = Admin.create(adminProperties()))
        {
            partitions = ensureTopic(admin);
        }
        catch (final TimeoutException e)
        {
            err.println("tally gen: Kafka at " + options.bootstrap + " did not answer within " +
                options.connectTimeoutMs + " ms; run ./tally stack up or pass --bootstrap");
            return 1;
        }
        catch (final ExecutionException | KafkaException e)
        {
            final Throwable cause = e.getCause() != null ? e.getCause() : e;
            if (cause instanceof org.apache.kafka.common.errors.TimeoutException)
            {
                // The admin client's own deadline can fire before ours: the same "no answer", said the same way.
                err.println("tally gen: Kafka at " + options.bootstrap + " did not answer within " +
                    options.connectTimeoutMs + " ms; run ./tally stack up or pass --bootstrap");
                return 1;
            }
            err.println("tally gen: Kafka at " + options.bootstrap + " failed: " + cause.getMessage() +
                "; run ./tally stack up or pass --bootstrap");
            return 1;
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            return 1;
        }
        if (options.createTopicOnly)
        {
            err.println("tally gen: topic " + options.topic + " has " + partitions + " partitions; nothing sent (--create-topic)");
            return 0;
        }
        try (KafkaProducer<byte[], byte[]> producer = new KafkaProducer<>(producerProperties()))
        {
            if (options.transactional)
            {
                producer.initTransactions();
            }
            long[] present = null;
            if (options.resume)
            {
                present = scan(partitions);
            }
            final EventGenerator generator = new EventGenerator(config);
            final long total = options.events == 0 ? Long.MAX_VALUE : options.events;
            final Progress progress = new Progress(err, System.console() != null, options.events, System.nanoTime());
            final ProducerLoop loop = new ProducerLoop(generator, config, producer, options.topic, partitions,
                options.txnMs, options.progressMs, progress);
            long from = 0;
            if (present != null)
            {
                loop.present(present);
                from = loop.firstMissing();
            }
            final CountDownLatch done = new CountDownLatch(1);
            final Thread hook = new Thread(() -> stopAndWait(loop, done), "tally-gen-stop");
            Runtime.getRuntime().addShutdownHook(hook);
            final long next;
            try
            {
                next = loop.run(from, total, options.durationMs == null ? Long.MAX_VALUE : options.durationMs * 1_000_000L,
                    options.transactional);
            }
            finally
            {
                done.countDown();
            }
            removeHook(hook);
            progress.summary(System.nanoTime(), options.topic, from, next, loop.sent(), loop.skipped(), loop.acked(),
                loop.errors(), loop.firstError());
            return loop.errors() == 0 ? 0 : 1;
        }
        catch (final KafkaException | IllegalStateException e)
        {
            err.println("tally gen: " + e.getClass().getSimpleName() + ": " + e.getMessage());
            return 1;
        }
    }

    private long[] scan(final int partitions)
    {
        final Properties props = new Properties();
        props.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap);
        props.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        props.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        props.put(ConsumerConfig.CLIENT_ID_CONFIG, "tally-gen-resume");
        try (KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer()))
        {
            final ResumeScanner scanner = new ResumeScanner(consumer, Duration.ofSeconds(60));
            final long[] last = scanner.lastIndices(options.topic, partitions);
            if (scanner.runFound())
            {
                if ((options.seed != null && options.seed != scanner.seed()) ||
                    (options.eventTimeStart != null && options.eventTimeStart != scanner.eventTimeStart()))
                {
                    throw new IllegalStateException("--resume: the topic was written with --seed " + scanner.seed() +
                        " --event-time-start " + scanner.eventTimeStart() + "; drop those flags or match them");
                }
                config.seed(scanner.seed()).eventTimeStart(scanner.eventTimeStart());
                if (config.fingerprint() != scanner.fingerprint())
                {
                    throw new IllegalStateException("--resume: the event-shaping flags (rate, sizes, fractions, " +
                        "distributions) differ from the run that wrote the topic; pass the same flags");
                }
            }
            return last;
        }
    }

    private int ensureTopic(final Admin admin) throws InterruptedException, ExecutionException, TimeoutException
    {
        final long timeout = options.connectTimeoutMs;
        admin.describeCluster().nodes().get(timeout, TimeUnit.MILLISECONDS);
        return Topics.ensure(admin, options.topic, options.partitions, options.replicationFactor, Map.of(),
            java.time.Duration.ofMillis(timeout));
    }

    private int dryRun()
    {
        final EventGenerator generator = new EventGenerator(config);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[generator.maxValueLength()]);
        final MutableEvent event = new MutableEvent();
        final long total = options.events == 0 ? 10_000_000L : options.events;
        final long start = System.nanoTime();
        long bytes = 0;
        for (long i = 0; i < total; i++)
        {
            bytes += generator.encode(i, buffer, 0, event);
        }
        final double seconds = (System.nanoTime() - start) / 1e9;
        err.println(String.format(java.util.Locale.ROOT,
            "tally gen --dry-run: %,d events (%,d bytes) generated and encoded in %.2fs: %,.0f events/s",
            total, bytes, seconds, total / seconds));
        return 0;
    }

    private Properties adminProperties()
    {
        final Properties props = new Properties();
        props.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap);
        props.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, (int)Math.min(Integer.MAX_VALUE, options.connectTimeoutMs));
        props.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, (int)Math.min(Integer.MAX_VALUE, options.connectTimeoutMs));
        props.put(AdminClientConfig.CLIENT_ID_CONFIG, "tally-gen-admin");
        return props;
    }

    private Properties producerProperties()
    {
        final Properties props = new Properties();
        props.put(ProducerConfig.BOOTSTRAP_SERVERS_CONFIG, options.bootstrap);
        props.put(ProducerConfig.KEY_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.VALUE_SERIALIZER_CLASS_CONFIG, ByteArraySerializer.class.getName());
        props.put(ProducerConfig.ACKS_CONFIG, "all");
        props.put(ProducerConfig.ENABLE_IDEMPOTENCE_CONFIG, "true");
        props.put(ProducerConfig.MAX_IN_FLIGHT_REQUESTS_PER_CONNECTION, "5");
        props.put(ProducerConfig.COMPRESSION_TYPE_CONFIG, "lz4");
        props.put(ProducerConfig.LINGER_MS_CONFIG, Integer.toString(options.lingerMs));
        props.put(ProducerConfig.BATCH_SIZE_CONFIG, Integer.toString(options.batchSize));
        props.put(ProducerConfig.BUFFER_MEMORY_CONFIG, Long.toString(128L * 1024 * 1024));
        props.put(ProducerConfig.CLIENT_ID_CONFIG, "tally-gen");
        if (options.transactional)
        {
            props.put(ProducerConfig.TRANSACTIONAL_ID_CONFIG,
                options.transactionalId != null ? options.transactionalId : "tally-gen-" + options.topic);
        }
        return props;
    }

    private static void stopAndWait(final ProducerLoop loop, final CountDownLatch done)
    {
        loop.stop();
        try
        {
            done.await(30, TimeUnit.SECONDS);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
        }
    }

    private static void removeHook(final Thread hook)
    {
        try
        {
            Runtime.getRuntime().removeShutdownHook(hook);
        }
        catch (final IllegalStateException ignore)
        {
            // the JVM is already shutting down: the hook is running
        }
    }
}
