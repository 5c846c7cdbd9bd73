package dev.tally.chaos;

import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.admin.ListOffsetsResult;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * The engine's lag: over all partitions, the log end offset minus the position T the group has committed (the
 * {@code T=} of tally's commit metadata; a partition with no commit counts from 0). What "caught up" and "back to
 * steady state" are measured with. Not thread-safe; one caller.
 */
final class LagProbe implements AutoCloseable
{
    private static final Pattern POSITION = Pattern.compile("(?:^|\\s)T=(-?\\d+)");

    private final Admin admin;
    private final String topic;
    private final String group;
    private final int partitions;

    LagProbe(final String bootstrap, final String topic, final String group, final int partitions)
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

    /** Records between the committed positions and the log ends, or -1 when Kafka does not answer now. */
    long lag()
    {
        final long[] s = sample();
        return s == null ? -1 : s[0] - s[1];
    }

    /** {sum of log end offsets, sum of committed positions} over the partitions, or null when Kafka does not answer. */
    long[] sample()
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

    /**
     * Polls every 250 ms until the lag is at most {@code threshold} or {@code timeout} passes.
     *
     * @return the time it took, or null on timeout
     */
    Duration awaitLagAtMost(final long threshold, final Duration timeout) throws InterruptedException
    {
        final long start = System.nanoTime();
        final long deadline = start + timeout.toNanos();
        while (System.nanoTime() < deadline)
        {
            final long lag = lag();
            if (lag >= 0 && lag <= threshold)
            {
                return Duration.ofNanos(System.nanoTime() - start);
            }
            TimeUnit.MILLISECONDS.sleep(250);
        }
        return null;
    }

    static long position(final OffsetAndMetadata committed)
    {
        if (committed == null)
        {
            return 0;
        }
        final Matcher m = POSITION.matcher(committed.metadata() == null ? "" : committed.metadata());
        return m.find() ? Long.parseLong(m.group(1)) : committed.offset();
    }

    @Override
    public void close()
    {
        admin.close(Duration.ofSeconds(5));
    }
}
