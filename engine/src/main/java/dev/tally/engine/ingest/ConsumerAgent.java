package dev.tally.engine.ingest;

import dev.tally.engine.EngineCounters;

import java.time.Duration;
import java.util.Collection;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.lmax.disruptor.RingBuffer;
import org.agrona.concurrent.Agent;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * The consumer thread: owns the {@link KafkaConsumer} and is the single producer of the records ring. Records are
 * copied into ring slots in partition offset order. When the ring is full, the records not yet published stay
 * pending, every assigned partition is paused and the consumer keeps polling (so it keeps its group membership)
 * until the ring has room again; memory never grows with the backlog. Every tick interval it publishes a
 * {@link RecordSlot#TICK}; with stop-at-end, a {@link RecordSlot#END} once every partition has reached the end offset
 * it had when the agent started.
 */
public final class ConsumerAgent implements Agent
{
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(10);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final RingBuffer<RecordSlot> ring;
    private final String topic;
    private final long tickIntervalNs;
    private final Map<TopicPartition, Long> endOffsets;
    private final EngineCounters counters;

    private Iterator<ConsumerRecord<byte[], byte[]>> pending;
    private boolean paused;
    private boolean endPublished;
    private long nextTickNs;

    /**
     * @param endOffsets the end offsets to stop at (stop-at-end), or null to run until closed
     */
    public ConsumerAgent(final KafkaConsumer<byte[], byte[]> consumer, final RingBuffer<RecordSlot> ring,
        final String topic, final Duration tickInterval, final Map<TopicPartition, Long> endOffsets,
        final EngineCounters counters)
    {
        this.consumer = consumer;
        this.ring = ring;
        this.topic = topic;
        this.tickIntervalNs = tickInterval.toNanos();
        this.endOffsets = endOffsets;
        this.counters = counters;
    }

    @Override
    public void onStart()
    {
        consumer.subscribe(List.of(topic), new ConsumerRebalanceListener()
        {
            @Override
            public void onPartitionsRevoked(final Collection<TopicPartition> partitions)
            {
                // Issue 6 flushes and commits revoked partitions here; until then nothing is committed at all.
            }

            @Override
            public void onPartitionsAssigned(final Collection<TopicPartition> partitions)
            {
                if (paused)
                {
                    consumer.pause(partitions);
                }
            }
        });
        nextTickNs = System.nanoTime() + tickIntervalNs;
    }

    @Override
    public int doWork()
    {
        int work = 0;
        final long now = System.nanoTime();
        if (now - nextTickNs >= 0 && publishControl(RecordSlot.TICK))
        {
            nextTickNs = now + tickIntervalNs;
            work++;
        }
        if (pending != null)
        {
            work += publishPending();
            if (pending != null)
            {
                pauseAll();
                consumer.poll(Duration.ZERO);
                return work;
            }
            resumeAll();
        }
        if (endPublished)
        {
            return work;
        }
        final ConsumerRecords<byte[], byte[]> records = consumer.poll(POLL_TIMEOUT);
        if (!records.isEmpty())
        {
            pending = records.iterator();
            work += publishPending();
        }
        if (endOffsets != null && pending == null && caughtUp() && publishControl(RecordSlot.END))
        {
            endPublished = true;
            work++;
        }
        return work;
    }

    /** True once stop-at-end has published everything up to the end offsets and signalled the end. */
    public boolean endPublished()
    {
        return endPublished;
    }

    @Override
    public void onClose()
    {
        consumer.close(org.apache.kafka.clients.consumer.CloseOptions.timeout(Duration.ofSeconds(5)));
    }

    @Override
    public String roleName()
    {
        return "kafka-consumer";
    }

    private int publishPending()
    {
        int published = 0;
        while (pending.hasNext())
        {
            if (!ring.hasAvailableCapacity(1))
            {
                EngineCounters.add(counters.recordsIn, published);
                return published;
            }
            final ConsumerRecord<byte[], byte[]> r = pending.next();
            final long seq = ring.next();
            ring.get(seq).record(r.partition(), r.offset(), r.timestamp(), r.value());
            ring.publish(seq);
            published++;
        }
        pending = null;
        EngineCounters.add(counters.recordsIn, published);
        return published;
    }

    private boolean publishControl(final int type)
    {
        if (!ring.hasAvailableCapacity(1))
        {
            return false;
        }
        final long seq = ring.next();
        ring.get(seq).control(type);
        ring.publish(seq);
        return true;
    }

    private void pauseAll()
    {
        if (!paused)
        {
            consumer.pause(consumer.assignment());
            paused = true;
            EngineCounters.increment(counters.consumerPauses);
        }
    }

    private void resumeAll()
    {
        if (paused)
        {
            consumer.resume(consumer.paused());
            paused = false;
        }
    }

    private boolean caughtUp()
    {
        for (final Map.Entry<TopicPartition, Long> e : endOffsets.entrySet())
        {
            if (!consumer.assignment().contains(e.getKey()))
            {
                return false;
            }
            try
            {
                if (consumer.position(e.getKey(), Duration.ZERO) < e.getValue())
                {
                    return false;
                }
            }
            catch (final TimeoutException ex)
            {
                return false;
            }
        }
        return true;
    }
}
