package dev.tally.gen;

import java.time.Duration;
import java.util.List;

import org.apache.kafka.clients.consumer.Consumer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.header.Header;

import dev.tally.codec.RecordFraming;

/**
 * Finds where a killed generator left off, from the topic itself: for each partition, the event index (header
 * {@code tally.idx}) of its last committed record, and the run (seed, event-time start, settings fingerprint) from {@code tally.run}.
 * <p>
 * Per partition the log holds a prefix of what was sent there (idempotent producer, in index order), so event i
 * is present iff {@code i <= last[partition(i)]}. Reads backwards in growing windows to step over transaction
 * markers and aborted records; needs a consumer with {@code isolation.level=read_committed}.
 */
final class ResumeScanner
{
    private static final Duration POLL = Duration.ofMillis(200);

    private final Consumer<byte[], byte[]> consumer;
    private final long timeoutNanos;
    private long seed;
    private long eventTimeStart;
    private long fingerprint;
    private boolean runFound;

    ResumeScanner(final Consumer<byte[], byte[]> consumer, final Duration timeout)
    {
        this.consumer = consumer;
        this.timeoutNanos = timeout.toNanos();
    }

    /**
     * @param topic      the topic.
     * @param partitions its partition count.
     * @return per partition, the index of the last event present, or -1 if none.
     */
    long[] lastIndices(final String topic, final int partitions)
    {
        final long[] last = new long[partitions];
        for (int p = 0; p < partitions; p++)
        {
            last[p] = lastIndex(new TopicPartition(topic, p));
        }
        return last;
    }

    boolean runFound()
    {
        return runFound;
    }

    long seed()
    {
        return seed;
    }

    long eventTimeStart()
    {
        return eventTimeStart;
    }

    long fingerprint()
    {
        return fingerprint;
    }

    private long lastIndex(final TopicPartition tp)
    {
        final List<TopicPartition> single = List.of(tp);
        consumer.assign(single);
        final long end = consumer.endOffsets(single).get(tp);
        final long begin = consumer.beginningOffsets(single).get(tp);
        long window = 64;
        while (true)
        {
            final long from = Math.max(begin, end - window);
            final long found = scan(tp, from, end);
            if (found >= 0 || from == begin)
            {
                return found;
            }
            window *= 8;
        }
    }

    private long scan(final TopicPartition tp, final long from, final long end)
    {
        consumer.seek(tp, from);
        long found = -1;
        final long deadline = System.nanoTime() + timeoutNanos;
        while (consumer.position(tp) < end)
        {
            if (System.nanoTime() > deadline)
            {
                throw new IllegalStateException("timed out reading " + tp + " to find where to resume");
            }
            for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL))
            {
                if (record.offset() >= end)
                {
                    continue;
                }
                final Header index = record.headers().lastHeader(RecordFraming.INDEX_HEADER);
                if (index == null || index.value() == null || index.value().length != RecordFraming.INDEX_HEADER_LENGTH)
                {
                    throw new IllegalStateException(tp + " offset " + record.offset() + " has no " +
                        RecordFraming.INDEX_HEADER + " header: the topic holds records not written by tally gen");
                }
                found = RecordFraming.getLongBigEndian(index.value(), 0);
                final Header run = record.headers().lastHeader(RecordFraming.RUN_HEADER);
                if (run != null && run.value() != null && run.value().length == RecordFraming.RUN_HEADER_LENGTH)
                {
                    seed = RecordFraming.getLongBigEndian(run.value(), 0);
                    eventTimeStart = RecordFraming.getLongBigEndian(run.value(), 8);
                    fingerprint = RecordFraming.getLongBigEndian(run.value(), 16);
                    runFound = true;
                }
            }
        }
        return found;
    }
}
