package dev.tally.peers.streams;

import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.ListOffsetsOptions;
import org.apache.kafka.clients.admin.ListTopicsOptions;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.IsolationLevel;
import org.apache.kafka.common.TopicPartition;

/**
 * Tells, from outside the running application, when Kafka Streams has finished a backlog: its committed offsets
 * (the application id is the consumer group) cover the input's end offsets seen at start, and then also the end
 * offsets of its repartition topics. Under exactly-once the offsets are committed in the same transaction as the
 * output and the changelogs, so once they cover everything, every row the backlog produces is in the output topic.
 * Streams commits the consumer's position when a partition's buffer is empty, and that position moves past
 * transaction markers, so it does reach an end offset that has a marker just before it.
 */
public final class GroupProgress
{
    private final Admin admin;
    private final String applicationId;
    private final long timeoutMs;

    /**
     * @param admin         an admin client of the cluster.
     * @param applicationId the Streams application id (its group id and its internal topics' prefix).
     * @param timeoutMs     how long one admin call may take.
     */
    public GroupProgress(final Admin admin, final String applicationId, final long timeoutMs)
    {
        this.admin = admin;
        this.applicationId = applicationId;
        this.timeoutMs = timeoutMs;
    }

    /**
     * @param ends end offsets per partition.
     * @return true if the group's committed offset is at least the end for every partition with records.
     */
    public boolean covers(final Map<TopicPartition, Long> ends)
        throws ExecutionException, InterruptedException, TimeoutException
    {
        final Map<TopicPartition, OffsetAndMetadata> committed = admin.listConsumerGroupOffsets(applicationId)
            .partitionsToOffsetAndMetadata().get(timeoutMs, TimeUnit.MILLISECONDS);
        for (final Map.Entry<TopicPartition, Long> e : ends.entrySet())
        {
            final OffsetAndMetadata c = committed.get(e.getKey());
            final long at = c == null ? 0 : c.offset();
            if (at < e.getValue())
            {
                return false;
            }
        }
        return true;
    }

    /**
     * @return the read_committed end offsets of every partition of the application's repartition topics now.
     */
    public Map<TopicPartition, Long> repartitionEnds() throws ExecutionException, InterruptedException, TimeoutException
    {
        final List<String> topics = admin.listTopics(new ListTopicsOptions().listInternal(false)).names()
            .get(timeoutMs, TimeUnit.MILLISECONDS).stream()
            .filter(t -> t.startsWith(applicationId + "-") && t.endsWith("-repartition")).toList();
        if (topics.isEmpty())
        {
            return Map.of();
        }
        final Map<TopicPartition, OffsetSpec> request = new HashMap<>();
        for (final TopicDescription d : admin.describeTopics(topics).allTopicNames().get(timeoutMs, TimeUnit.MILLISECONDS).values())
        {
            d.partitions().forEach(p -> request.put(new TopicPartition(d.name(), p.partition()), OffsetSpec.latest()));
        }
        final Map<TopicPartition, Long> ends = new HashMap<>();
        admin.listOffsets(request, new ListOffsetsOptions(IsolationLevel.READ_COMMITTED)).all()
            .get(timeoutMs, TimeUnit.MILLISECONDS).forEach((tp, info) -> ends.put(tp, info.offset()));
        return ends;
    }
}
