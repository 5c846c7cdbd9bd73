package dev.tally.gen;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicReference;
import java.util.concurrent.locks.LockSupport;

import org.agrona.concurrent.UnsafeBuffer;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.errors.AuthorizationException;
import org.apache.kafka.common.errors.OutOfOrderSequenceException;
import org.apache.kafka.common.errors.ProducerFencedException;
import org.apache.kafka.common.header.internals.RecordHeader;
import org.apache.kafka.common.header.internals.RecordHeaders;
import org.apache.kafka.common.utils.Utils;

import dev.tally.codec.MutableEvent;
import dev.tally.codec.RecordFraming;

/**
 * Sends events {@code [from, to)} to Kafka at the scheduled open-model rate: event i becomes due at
 * {@code schedule.offsetNanos(i)} after the start, whether or not earlier sends were acknowledged (tokens accrue
 * at the scheduled rate and are never discarded, so a stall is caught up afterwards). Rate 0 sends unpaced.
 * <p>
 * Each record: key = account id (8 bytes big-endian), partition = Kafka's default murmur2 choice for that key,
 * headers {@code tally.idx} and {@code tally.run}. Events already present after a crash are skipped.
 * In transactional mode a failed transaction is aborted and its indices are sent again.
 * Invariant: per partition, events are sent in increasing index order.
 */
final class ProducerLoop implements Callback
{
    private final EventGenerator generator;
    private final Producer<byte[], byte[]> producer;
    private final String topic;
    private final int partitions;
    private final LoadSchedule schedule;
    private final boolean paced;
    private long startEpochMs;
    private long startScheduleNanos;
    private final long txnNanos;
    private final long progressNanos;
    private final Progress progress;
    private final byte[] runHeader;
    private final UnsafeBuffer scratch;
    private final byte[] keyScratch = new byte[RecordFraming.KEY_LENGTH];
    private final MutableEvent event = new MutableEvent();
    private final AtomicLong acked = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();
    private final AtomicReference<String> firstError = new AtomicReference<>();
    private volatile boolean stop;
    private long[] present;
    private long presentUpTo = -1;
    private long sent;
    private long skipped;

    ProducerLoop(final EventGenerator generator, final GenConfig config, final Producer<byte[], byte[]> producer,
        final String topic, final int partitions, final long txnMs, final long progressMs, final Progress progress)
    {
        this.generator = generator;
        this.producer = producer;
        this.topic = topic;
        this.partitions = partitions;
        this.schedule = config.schedule();
        this.paced = config.rate() > 0;
        this.txnNanos = txnMs > 0 ? txnMs * 1_000_000L : 0;
        this.progressNanos = progressMs * 1_000_000L;
        this.progress = progress;
        this.runHeader = new byte[RecordFraming.RUN_HEADER_LENGTH];
        RecordFraming.putLongBigEndian(runHeader, 0, config.seed());
        RecordFraming.putLongBigEndian(runHeader, 8, config.eventTimeStart());
        RecordFraming.putLongBigEndian(runHeader, 16, config.fingerprint());
        this.scratch = new UnsafeBuffer(new byte[generator.maxValueLength()]);
    }

    /**
     * Events already in the topic: index i is present iff {@code i <= last[partition(i)]}.
     *
     * @param last per partition, the last index present (or -1).
     */
    void present(final long[] last)
    {
        this.present = last.clone();
        for (final long l : last)
        {
            presentUpTo = Math.max(presentUpTo, l);
        }
    }

    /**
     * @return the lowest index not present in the topic (0 if nothing is).
     */
    long firstMissing()
    {
        if (present == null)
        {
            return 0;
        }
        long lowest = Long.MAX_VALUE;
        for (final long l : present)
        {
            lowest = Math.min(lowest, l);
        }
        long i = lowest + 1;
        while (i <= presentUpTo && isPresent(i))
        {
            i++;
        }
        return i;
    }

    /**
     * Send events until {@code to} (exclusive), the deadline, or {@link #stop()}.
     *
     * @param from           first index.
     * @param to             end index, exclusive.
     * @param durationNanos  run time limit, or Long.MAX_VALUE.
     * @param transactional  wrap sends in transactions committed every txn interval.
     * @return the next index not sent.
     */
    long run(final long from, final long to, final long durationNanos, final boolean transactional)
    {
        final long start = System.nanoTime();
        final long scheduleBase = paced ? schedule.offsetNanos(from) : 0;
        startEpochMs = System.currentTimeMillis();
        startScheduleNanos = scheduleBase;
        long index = from;
        long txnStart = from;
        long sentAtTxnStart = sent;
        long skippedAtTxnStart = skipped;
        long nextCommit = start + txnNanos;
        long nextProgress = start + progressNanos;
        if (transactional)
        {
            producer.beginTransaction();
        }
        while (index < to && !stop)
        {
            final long now = System.nanoTime();
            if (now - start >= durationNanos)
            {
                break;
            }
            final long due = paced ? Math.min(to, schedule.dueCount(now - start + scheduleBase)) : to;
            final long batchEnd = Math.min(due, index + 1024);
            try
            {
                while (index < batchEnd)
                {
                    send(index++);
                }
                if (transactional && System.nanoTime() >= nextCommit)
                {
                    producer.commitTransaction();
                    producer.beginTransaction();
                    txnStart = index;
                    sentAtTxnStart = sent;
                    skippedAtTxnStart = skipped;
                    nextCommit = System.nanoTime() + txnNanos;
                }
            }
            catch (final ProducerFencedException | OutOfOrderSequenceException | AuthorizationException e)
            {
                throw e;
            }
            catch (final KafkaException e)
            {
                if (!transactional)
                {
                    throw e;
                }
                recordError(e);
                producer.abortTransaction();
                sent = sentAtTxnStart;
                skipped = skippedAtTxnStart;
                index = txnStart;
                producer.beginTransaction();
            }
            final long after = System.nanoTime();
            if (after >= nextProgress)
            {
                progress.update(after, sent, acked.get(), errors.get(), paced ? Math.max(0, due - index) : 0);
                nextProgress = after + progressNanos;
            }
            if (paced && index >= due && index < to)
            {
                final long wait = scheduleBase + schedule.offsetNanos(index) - (after - start);
                LockSupport.parkNanos(Math.max(1_000, Math.min(wait, 1_000_000)));
            }
        }
        producer.flush();
        if (transactional)
        {
            producer.commitTransaction();
        }
        return index;
    }

    private void send(final long index)
    {
        final int length = generator.encode(index, scratch, 0, event);
        RecordFraming.putLongBigEndian(keyScratch, 0, event.accountId());
        final int partition = Utils.toPositive(Utils.murmur2(keyScratch)) % partitions;
        if (index <= presentUpTo && index <= present[partition])
        {
            skipped++;
            return;
        }
        final byte[] key = keyScratch.clone();
        final byte[] value = new byte[length];
        scratch.getBytes(0, value);
        final byte[] idx = new byte[RecordFraming.INDEX_HEADER_LENGTH];
        RecordFraming.putLongBigEndian(idx, 0, index);
        final RecordHeaders headers = new RecordHeaders();
        headers.add(new RecordHeader(RecordFraming.INDEX_HEADER, idx));
        headers.add(new RecordHeader(RecordFraming.RUN_HEADER, runHeader));
        // Paced: the record's timestamp is when the schedule wanted it sent, so a stalled producer (or broker) shows up
        // in end-to-end latency instead of being hidden (coordinated omission); unpaced: the producer's send time.
        final Long timestamp = paced ? startEpochMs + (schedule.offsetNanos(index) - startScheduleNanos) / 1_000_000 : null;
        producer.send(new ProducerRecord<>(topic, partition, timestamp, key, value, headers), this);
        sent++;
    }

    private boolean isPresent(final long index)
    {
        generator.event(index, event);
        RecordFraming.putLongBigEndian(keyScratch, 0, event.accountId());
        return index <= present[Utils.toPositive(Utils.murmur2(keyScratch)) % partitions];
    }

    @Override
    public void onCompletion(final RecordMetadata metadata, final Exception exception)
    {
        if (exception == null)
        {
            acked.incrementAndGet();
        }
        else
        {
            recordError(exception);
        }
    }

    private void recordError(final Exception e)
    {
        errors.incrementAndGet();
        firstError.compareAndSet(null, e.getClass().getSimpleName() + ": " + e.getMessage());
    }

    void stop()
    {
        stop = true;
    }

    long sent()
    {
        return sent;
    }

    long skipped()
    {
        return skipped;
    }

    long acked()
    {
        return acked.get();
    }

    long errors()
    {
        return errors.get();
    }

    String firstError()
    {
        return firstError.get();
    }

}
