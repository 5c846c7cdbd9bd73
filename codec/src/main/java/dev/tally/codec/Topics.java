package dev.tally.codec;

import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RetriableException;
import org.apache.kafka.common.errors.TopicExistsException;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * Topics tally writes to: created when missing, and usable only once every partition is writable.
 * <p>
 * The controller acknowledges a new topic, and metadata shows its leaders, slightly before the brokers have made
 * the partitions leaders. An idempotent producer that writes in that gap can have its first batch for a partition
 * refused while a later in-flight batch is appended; the first batch then fails forever with an out-of-order
 * sequence and the partition stalls until the delivery timeout. ListOffsets is answered by the partition leader
 * itself, so waiting until it succeeds for every partition closes the gap.
 */
public final class Topics
{
    private Topics()
    {
    }

    /**
     * Creates {@code topic} unless it exists, then waits until every partition is writable.
     *
     * @return the topic's partition count (the existing one when the topic was already there)
     */
    public static int ensure(final Admin admin, final String topic, final int partitions, final short replication,
        final Map<String, String> configs, final Duration timeout)
        throws ExecutionException, InterruptedException, TimeoutException
    {
        final long ms = timeout.toMillis();
        try
        {
            admin.describeTopics(List.of(topic)).allTopicNames().get(ms, TimeUnit.MILLISECONDS);
        }
        catch (final ExecutionException e)
        {
            if (!(e.getCause() instanceof UnknownTopicOrPartitionException))
            {
                throw e;
            }
            try
            {
                admin.createTopics(List.of(new NewTopic(topic, partitions, replication).configs(configs)))
                    .all().get(ms, TimeUnit.MILLISECONDS);
            }
            catch (final ExecutionException create)
            {
                if (!(create.getCause() instanceof TopicExistsException))
                {
                    throw create;
                }
            }
        }
        return awaitWritable(admin, topic, timeout);
    }

    /** Waits until every partition of {@code topic} answers ListOffsets from its leader; returns the partition count. */
    public static int awaitWritable(final Admin admin, final String topic, final Duration timeout)
        throws ExecutionException, InterruptedException, TimeoutException
    {
        final long ms = timeout.toMillis();
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (true)
        {
            try
            {
                final TopicDescription description =
                    admin.describeTopics(List.of(topic)).allTopicNames().get(ms, TimeUnit.MILLISECONDS).get(topic);
                final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
                description.partitions().forEach(p -> latest.put(new TopicPartition(topic, p.partition()), OffsetSpec.latest()));
                admin.listOffsets(latest).all().get(ms, TimeUnit.MILLISECONDS);
                return latest.size();
            }
            catch (final ExecutionException e)
            {
                if (!(e.getCause() instanceof RetriableException) || System.nanoTime() > deadline)
                {
                    throw e;
                }
            }
            Thread.sleep(20);
        }
    }
}
