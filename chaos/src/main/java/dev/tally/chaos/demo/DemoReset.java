package dev.tally.chaos.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.List;
import java.util.Properties;
import java.util.Set;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.common.errors.GroupIdNotFoundException;
import org.apache.kafka.common.errors.GroupNotEmptyException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

import dev.tally.stack.kafka.KafkaHealth;

/**
 * A clean slate for the demo's names: what an earlier demo left (its topics, consumer group, database, journal and
 * latency files) is removed, then the events topic is created empty, so the report is about this run only.
 */
final class DemoReset
{
    private static final Duration TIMEOUT = Duration.ofSeconds(60);

    private DemoReset()
    {
    }

    /** Removes an earlier demo's data under {@code names} and the folder {@code workDir}. */
    static void clear(final String bootstrap, final String clickhouseUrl, final DemoNames names, final Path workDir,
        final PrintStream out) throws Exception
    {
        try (Admin admin = Admin.create(props(bootstrap)))
        {
            final Set<String> existing = admin.listTopics().names().get(30, TimeUnit.SECONDS);
            final List<String> topics = Stream.of(names.topic(), names.deadLetterTopic()).filter(existing::contains)
                .toList();
            if (!topics.isEmpty())
            {
                out.println("demo: removing what an earlier demo left: topics " + topics + ", group " + names.group() +
                    ", database " + names.database() + " (--keep-data keeps them)");
                ignoring(admin.deleteTopics(topics).all(), UnknownTopicOrPartitionException.class);
                awaitGone(admin, topics);
            }
            deleteGroup(admin, names.group());
        }
        ClickHouseStatement.run(clickhouseUrl, "DROP DATABASE IF EXISTS " + names.database());
        deleteTree(workDir);
    }

    /** Creates the events topic (the engine refuses to start without it). */
    static void createTopic(final String bootstrap, final String topic)
    {
        KafkaHealth.createTopic(bootstrap, topic, DemoSettings.PARTITIONS, (short)1);
    }

    private static void awaitGone(final Admin admin, final List<String> topics) throws Exception
    {
        final long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (admin.listTopics().names().get(30, TimeUnit.SECONDS).stream().anyMatch(topics::contains))
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("Kafka did not delete " + topics + " within " + TIMEOUT.toSeconds() + "s");
            }
            TimeUnit.MILLISECONDS.sleep(200);
        }
    }

    /** An engine killed a moment ago stays a member until its session times out: retry until the group is empty. */
    private static void deleteGroup(final Admin admin, final String group) throws Exception
    {
        final long deadline = System.nanoTime() + TIMEOUT.toNanos();
        while (true)
        {
            try
            {
                admin.deleteConsumerGroups(List.of(group)).all().get(30, TimeUnit.SECONDS);
                return;
            }
            catch (final ExecutionException e)
            {
                if (e.getCause() instanceof GroupIdNotFoundException)
                {
                    return;
                }
                if (!(e.getCause() instanceof GroupNotEmptyException) || System.nanoTime() > deadline)
                {
                    throw e;
                }
                TimeUnit.MILLISECONDS.sleep(500);
            }
        }
    }

    private static void ignoring(final org.apache.kafka.common.KafkaFuture<Void> future,
        final Class<? extends Exception> ignored) throws Exception
    {
        try
        {
            future.get(30, TimeUnit.SECONDS);
        }
        catch (final ExecutionException e)
        {
            if (!ignored.isInstance(e.getCause()))
            {
                throw e;
            }
        }
    }

    static void deleteTree(final Path dir) throws IOException
    {
        if (!Files.exists(dir))
        {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir))
        {
            for (final Path p : paths.sorted(Comparator.reverseOrder()).toList())
            {
                Files.delete(p);
            }
        }
    }

    private static Properties props(final String bootstrap)
    {
        final Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "30000");
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        return p;
    }
}
