package dev.tally.chaos;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

import dev.tally.verify.CommitMetadata;

/**
 * The engine's lag: over all partitions, the log end offset minus the position T the group has committed (the
 * {@code T=} of tally's commit metadata; a partition with no commit counts from 0). What "caught up" and "back to
 * steady state" are measured with. Not thread-safe; one caller. Public for {@code ./tally demo}.
 */
public final class LagProbe implements AutoCloseable
{
    private final Admin admin;
    private final String topic;
    private final String group;
    private final int partitions;

    public LagProbe(final String bootstrap, final String topic, final String group, final int partitions)
    {
        final Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(AdminClientConfig.DEFAULT_API_TIMEOUT_MS_CONFIG, "10000");
        p.put(AdminClientConfig.REQUEST_TIMEOUT_MS_CONFIG, "5000");
        this.admin = Admin.create(p);
        this.topic = topic;
        this.group = group;
        this.partitions = partitions;
    }

    /** {sum of log end offsets, sum of committed positions} over the partitions, or null when Kafka does not answer. */
    public long[] sample()
    {
        try
        {
            final Map<TopicPartition, OffsetSpec> latest = new HashMap<>();
            for (int p = 0; p < partitions; p++)
            {
                latest.put(new TopicPartition(topic, p), OffsetSpec.latest());
            }
            final Map<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> ends =
                admin.listOffsets(latest).all().get(10, TimeUnit.SECONDS);
            final Map<TopicPartition, OffsetAndMetadata> committed =
                admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
            long end = 0;
            long position = 0;
            for (final Map.Entry<TopicPartition, ListOffsetsResult.ListOffsetsResultInfo> e : ends.entrySet())
            {
                end += e.getValue().offset();
                position += Math.min(e.getValue().offset(), Math.max(0, position(committed.get(e.getKey()))));
            }
            return new long[] {end, position};
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            return null;
        }
        catch (final Exception e)
        {
            return null;
        }
    }

    static long position(final OffsetAndMetadata committed)
    {
        if (committed == null)
        {
            return 0;
        }
        return CommitMetadata.parse(committed.metadata()).map(CommitMetadata::acknowledged)
            .orElse(committed.offset());
    }

    @Override
    public void close()
    {
        admin.close(Duration.ofSeconds(5));
    }
}
