package dev.tally.verify;

import java.io.PrintStream;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;

/**
 * {@code --wait}: blocks until the engine's consumer group has caught up with the {@link TopicSnapshot}. A
 * partition is caught up when the group's committed entry for it carries {@link CommitMetadata} whose {@code T} is
 * at least the partition's end offset: every record verify will read has then been acknowledged by ClickHouse.
 * The committed offset itself is not used, since the engine commits the offset it would restart from, which stays
 * behind while windows are open.
 */
final class CatchUpWait
{
    private static final long POLL_MILLIS = 500;
    private static final long PROGRESS_NANOS = Duration.ofSeconds(3).toNanos();

    private CatchUpWait()
    {
    }

    /**
     * Wait for {@code group} to catch up with {@code snapshot}.
     *
     * @throws VerifyException (exit 1) naming the partitions still behind if {@code timeout} passes first.
     */
    static void await(final Admin admin, final String group, final TopicSnapshot snapshot, final Duration timeout,
        final PrintStream progress)
    {
        final long start = System.nanoTime();
        long lastPrint = start - PROGRESS_NANOS;
        while (true)
        {
            final Map<Integer, String> behind = behind(admin, group, snapshot);
            final long now = System.nanoTime();
            if (behind.isEmpty())
            {
                progress.println("verify: group " + group + " has caught up on all " + snapshot.partitions() +
                    " partitions");
                return;
            }
            if (now - start >= timeout.toNanos())
            {
                throw new VerifyException(1, "timed out after " + timeout.toSeconds() + "s waiting for group " + group +
                    " to catch up with " + snapshot.topic() + "; behind: " + String.join(", ", behind.values()));
            }
            if (now - lastPrint >= PROGRESS_NANOS)
            {
                progress.println("verify: waiting for group " + group + ": " +
                    (snapshot.partitions() - behind.size()) + "/" + snapshot.partitions() + " partitions caught up");
                lastPrint = now;
            }
            try
            {
                Thread.sleep(POLL_MILLIS);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                throw new VerifyException(1, "interrupted while waiting for group " + group, e);
            }
        }
    }

    /** @return per partition not yet caught up, why (sorted by partition); empty when all are. */
    static Map<Integer, String> behind(final Admin admin, final String group, final TopicSnapshot snapshot)
    {
        final Map<TopicPartition, OffsetAndMetadata> committed;
        try
        {
            committed = admin.listConsumerGroupOffsets(group).partitionsToOffsetAndMetadata()
                .get(TopicSnapshot.TIMEOUT_SECONDS, TimeUnit.SECONDS);
        }
        catch (final ExecutionException | TimeoutException e)
        {
            throw new VerifyException(1, "cannot read the offsets of group " + group + " (" +
                (e.getCause() == null ? e : e.getCause()).getClass().getSimpleName() +
                "): is Kafka up (./tally stack up)?", e);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new VerifyException(1, "interrupted while reading the offsets of group " + group, e);
        }
        final Map<Integer, String> behind = new TreeMap<>();
        snapshot.ends().forEach((partition, end) ->
        {
            final String name = snapshot.topic() + "-" + partition;
            final OffsetAndMetadata entry = committed.get(new TopicPartition(snapshot.topic(), partition));
            if (entry == null)
            {
                if (end > 0)
                {
                    behind.put(partition, name + " (no commit, end " + end + ")");
                }
                return;
            }
            final Optional<CommitMetadata> metadata = CommitMetadata.parse(entry.metadata());
            if (metadata.isEmpty())
            {
                behind.put(partition, name + " (commit without tally1 metadata, end " + end + ")");
            }
            else if (metadata.get().acknowledged() < end)
            {
                behind.put(partition, name + " (T=" + metadata.get().acknowledged() + " < end " + end + ")");
            }
        });
        return behind;
    }
}
