package dev.tally.verify;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.UnknownTopicOrPartitionException;

/**
 * The topic as verify found it when it started: its partitions and, for each, the end offset a
 * {@code read_committed} reader sees (the last stable offset). Everything verify checks is relative to these ends.
 *
 * @param topic the topic.
 * @param ends  per partition number, the last stable offset.
 */
record TopicSnapshot(String topic, Map<Integer, Long> ends)
{
    static final long TIMEOUT_SECONDS = 15;

    /** @return admin client settings for {@code bootstrap} that give up within the verify timeouts. */
    static Properties adminProperties(final String bootstrap)
    {
        final Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "10000");
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, Long.toString(TIMEOUT_SECONDS * 1000));
        p.put(AdminClientConfig.CLIENT_ID_CONFIG, "tally-verify-admin");
        return p;
    }

    /**
     * Describe {@code topic} and read its last stable offsets.
     *
     * @throws VerifyException (exit 1) naming what to do if Kafka cannot be reached or the topic does not exist.
     */
    static TopicSnapshot take(final Admin admin, final String bootstrap, final String topic)
    {
        final TopicDescription description;
        try
        {
            description = admin.describeTopics(List.of(topic)).allTopicNames()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS).get(topic);
        }
        catch (final ExecutionException e)
        {
            if (e.getCause() instanceof UnknownTopicOrPartitionException)
            {
                throw new VerifyException(1, "topic '" + topic + "' does not exist at " + bootstrap +
                    ": write events with ./tally gen, or pass --topic");
            }
            throw unreachable(bootstrap, e.getCause());
        }
        catch (final TimeoutException e)
        {
            throw unreachable(bootstrap, e);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new VerifyException(1, "interrupted while describing topic " + topic, e);
        }
        final Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        description.partitions().forEach(info -> request.put(new TopicPartition(topic, info.partition()),
            OffsetSpec.latest()));
        final Map<Integer, Long> ends = new HashMap<>();
        try
        {
            admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
                .get(TIMEOUT_SECONDS, TimeUnit.SECONDS)
                .forEach((tp, info) -> ends.put(tp.partition(), info.offset()));
        }
        catch (final ExecutionException | TimeoutException e)
        {
            throw unreachable(bootstrap, e instanceof ExecutionException ? e.getCause() : e);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new VerifyException(1, "interrupted while reading the end offsets of " + topic, e);
        }
        return new TopicSnapshot(topic, Map.copyOf(ends));
    }

    /** @return the number of partitions. */
    int partitions()
    {
        return ends.size();
    }

    /** @return the sum of the end offsets: an upper bound of the records to read. */
    long totalEnd()
    {
        return ends.values().stream().mapToLong(Long::longValue).sum();
    }

    static VerifyException unreachable(final String bootstrap, final Throwable cause)
    {
        return new VerifyException(1, "cannot reach Kafka at " + bootstrap + " (" +
            (cause == null ? "timed out" : cause.getClass().getSimpleName()) +
            "): start it with ./tally stack up, or pass --bootstrap", cause);
    }
}
