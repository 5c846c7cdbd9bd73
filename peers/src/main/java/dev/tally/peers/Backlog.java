package dev.tally.peers;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * The backlog a peer drains: every partition of a topic, from its first offset to the end offset seen at start.
 * Records written after the start are not part of it, so a peer and tally drain the same set of records.
 *
 * @param topic     the topic.
 * @param beginning each partition's first offset at start.
 * @param end       each partition's end offset at start (under read_committed: the last stable offset).
 */
public record Backlog(String topic, Map<TopicPartition, Long> beginning, Map<TopicPartition, Long> end)
{
    /**
     * Reads the partitions and their offsets with a consumer that is not subscribed to anything.
     *
     * @param consumer any consumer with the isolation level the peer reads with.
     * @param topic    the topic.
     * @param timeout  how long to wait for Kafka.
     * @return the backlog.
     * @throws IllegalStateException if Kafka does not answer or the topic does not exist, with a message for the user.
     */
    public static Backlog of(final Consumer<?, ?> consumer, final String topic, final Duration timeout)
    {
        final List<PartitionInfo> partitions;
        try
        {
            partitions = consumer.partitionsFor(topic, timeout);
        }
        catch (final TimeoutException e)
        {
            throw new IllegalStateException("Kafka did not answer within " + timeout.toSeconds() +
                "s; run ./tally stack up or pass --bootstrap");
        }
        if (partitions == null || partitions.isEmpty())
        {
            throw new IllegalStateException("topic " + topic + " does not exist; produce a backlog first (./tally gen)");
        }
        final List<TopicPartition> tps = partitions.stream().map(p -> new TopicPartition(topic, p.partition())).toList();
        return new Backlog(topic, Map.copyOf(consumer.beginningOffsets(tps, timeout)), Map.copyOf(consumer.endOffsets(tps, timeout)));
    }

    /** @return the partitions, in no particular order. */
    public List<TopicPartition> partitions()
    {
        return List.copyOf(end.keySet());
    }

    /**
     * @return offsets between the beginning and the end, summed over partitions: the number of records when no
     *     transaction markers or aborted records are among them, an upper bound otherwise.
     */
    public long offsetSpan()
    {
        long span = 0;
        for (final Map.Entry<TopicPartition, Long> e : end.entrySet())
        {
            span += e.getValue() - beginning.getOrDefault(e.getKey(), 0L);
        }
        return span;
    }
}
