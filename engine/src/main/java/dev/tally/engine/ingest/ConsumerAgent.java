package dev.tally.engine.ingest;

import dev.tally.engine.EngineCounters;
import dev.tally.engine.EngineException;
import dev.tally.engine.sink.Checkpoint;
import dev.tally.engine.window.Windowing;
import dev.tally.journal.Journal;

import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

import com.lmax.disruptor.RingBuffer;
import org.agrona.concurrent.Agent;
import org.apache.kafka.clients.consumer.CommitFailedException;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.agrona.concurrent.ManyToOneConcurrentArrayQueue;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.RebalanceInProgressException;
import org.apache.kafka.common.errors.TimeoutException;

/**
 * The consumer thread: owns the {@link KafkaConsumer} and is the single producer of the records ring. Records are
 * copied into ring slots in partition offset order. When the ring is full, the records not yet published stay
 * pending, every assigned partition is paused and the consumer keeps polling (so it keeps its group membership)
 * until the ring has room again; memory never grows with the backlog. Every tick interval it publishes a
 * {@link RecordSlot#TICK}; with stop-at-end, a {@link RecordSlot#END} once every partition has reached the end offset
 * it had when the agent started.
 * <p>
 * Commits (the ordered-commit invariant): a partition's offset is committed only from a {@link Checkpoint} whose
 * batch ClickHouse has acknowledged, as offset R (the checkpoint's low water) with {@link CommitMetadata} (T, W, M).
 * On assignment each partition is sought to its committed R and the windowing stage is told to RESTORE it from
 * (M, T, W), or from nothing when the group has no commit; on revocation the latest acknowledged checkpoints are
 * committed synchronously and the windowing stage DROPs the partition. Records fetched for a partition that is no
 * longer assigned are not published. Each successful commit is journaled ({@link Journal#checkpointCommitted}) and
 * the journal is pruned now and then. A commit the group refuses (this member was fenced: it stalled and its
 * partitions moved) is counted and dropped; the partitions' new owner replays from an earlier commit.
 * <p>
 * A bounded read ({@link #bounded(ReadBounds)}, a backfill) assigns every partition of the topic itself instead of
 * joining the group's rebalances, starts each one at its commit or at the bound's start, pauses a partition once it
 * is finished (its watermark reached the bound's stop, or its log end), and publishes END when all are; commits and
 * restores work as above, in the backfill's own group.
 * <p>
 * In the at-least-once baseline ({@code exactlyOnce == false}) the consumer instead commits its own positions every
 * commit interval (as Kafka's auto-commit would), whatever the sink has done, and restores every partition with
 * empty state.
 */
public final class ConsumerAgent implements Agent
{
    private static final Duration POLL_TIMEOUT = Duration.ofMillis(10);
    private static final long PRUNE_INTERVAL_NS = 10_000_000_000L;
    private static final long LAG_INTERVAL_NS = 1_000_000_000L;
    private static final Duration LAG_REQUEST_TIMEOUT = Duration.ofMillis(300);

    private final KafkaConsumer<byte[], byte[]> consumer;
    private final RingBuffer<RecordSlot> ring;
    private final String topic;
    private final long tickIntervalNs;
    private final Map<TopicPartition, Long> endOffsets;
    private final EngineCounters counters;
    private final ManyToOneConcurrentArrayQueue<Checkpoint> acknowledged;
    private final Map<TopicPartition, OffsetAndMetadata> toCommit = new HashMap<>();
    private final boolean exactlyOnce;
    private final Journal journal;
    private int[] journalPartitions = new int[16];
    private long[] journalOffsets = new long[16];
    private long checkpointId;
    private long nextPruneNs;
    private long commitIntervalNs = Long.MAX_VALUE;
    private long nextPositionCommitNs;

    private boolean[] assigned = new boolean[64];
    /** Per partition: the offset after the last record put into the ring, or where it was sought to; -1 unknown. */
    private long[] nextOffset = filled(64, -1);
    private volatile boolean lastCheckpointCommitted;
    private Iterator<ConsumerRecord<byte[], byte[]>> pending;
    private boolean paused;
    private boolean endPublished;
    private long nextTickNs;
    private long nextLagNs;
    private TopicPartition[] partitionsById = new TopicPartition[0];
    private ReadBounds bounds;
    private boolean[] finished;
    private volatile int partitionsFinished;
    private long rateStartNs;

    /**
     * @param endOffsets   the end offsets to stop at (stop-at-end), or null to run until closed
     * @param acknowledged checkpoints whose batch ClickHouse acknowledged, to commit
     * @param exactlyOnce  commit only acknowledged checkpoints (true), or positions every tick (false)
     * @param journal      told of every commit, or null
     */
    public ConsumerAgent(final KafkaConsumer<byte[], byte[]> consumer, final RingBuffer<RecordSlot> ring,
        final String topic, final Duration tickInterval, final Map<TopicPartition, Long> endOffsets,
        final EngineCounters counters, final ManyToOneConcurrentArrayQueue<Checkpoint> acknowledged,
        final boolean exactlyOnce, final Journal journal)
    {
        this.acknowledged = acknowledged;
        this.exactlyOnce = exactlyOnce;
        this.journal = journal;
        this.checkpointId = journal == null ? 0 : Math.max(0, journal.lastCheckpointId());
        this.consumer = consumer;
        this.ring = ring;
        this.topic = topic;
        this.tickIntervalNs = tickInterval.toNanos();
        this.endOffsets = endOffsets;
        this.counters = counters;
    }

    /** At-least-once baseline: how often positions are committed (default: never before the end). */
    public ConsumerAgent commitInterval(final Duration interval)
    {
        commitIntervalNs = interval.toNanos();
        return this;
    }

    /** Reads only within {@code bounds} (a backfill); call before the agent starts. */
    public ConsumerAgent bounded(final ReadBounds bounds)
    {
        this.bounds = bounds;
        this.finished = new boolean[bounds.partitions()];
        return this;
    }

    /** Partitions of a bounded read that are finished (read from any thread, for progress). */
    public int partitionsFinished()
    {
        return partitionsFinished;
    }

    @Override
    public void onStart()
    {
        nextTickNs = System.nanoTime() + tickIntervalNs;
        if (bounds != null)
        {
            final List<TopicPartition> all = new ArrayList<>();
            for (int p = 0; p < bounds.partitions(); p++)
            {
                all.add(new TopicPartition(topic, p));
            }
            consumer.assign(all);
            restore(all);
            rateStartNs = System.nanoTime();
            return;
        }
        consumer.subscribe(List.of(topic), new ConsumerRebalanceListener()
        {
            @Override
            public void onPartitionsRevoked(final Collection<TopicPartition> partitions)
            {
                commitAcknowledged(true);
                for (final TopicPartition tp : partitions)
                {
                    assign(tp.partition(), false);
                    publish(slot -> slot.drop(tp.partition()));
                }
            }

            @Override
            public void onPartitionsLost(final Collection<TopicPartition> partitions)
            {
                EngineCounters.add(counters.partitionsLost, partitions.size());
                for (final TopicPartition tp : partitions)
                {
                    assign(tp.partition(), false);
                    publish(slot -> slot.drop(tp.partition()));
                }
            }

            @Override
            public void onPartitionsAssigned(final Collection<TopicPartition> partitions)
            {
                restore(partitions);
                if (paused)
                {
                    consumer.pause(partitions);
                    counters.pausedPartitions.setRelease(consumer.paused().size());
                }
            }
        });
        nextPositionCommitNs = commitIntervalNs == Long.MAX_VALUE ? Long.MAX_VALUE :
            System.nanoTime() + commitIntervalNs;
    }

    @Override
    public int doWork()
    {
        int work = commitAcknowledged(false);
        final long now = System.nanoTime();
        if (now - nextTickNs >= 0 && publishControl(RecordSlot.TICK))
        {
            nextTickNs = now + tickIntervalNs;
            work++;
        }
        if (now - nextLagNs >= 0)
        {
            reportLag();
            nextLagNs = now + LAG_INTERVAL_NS;
        }
        if (!exactlyOnce && commitIntervalNs != Long.MAX_VALUE && now - nextPositionCommitNs >= 0)
        {
            commitPositions(false);
            nextPositionCommitNs = now + commitIntervalNs;
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
        if (bounds != null)
        {
            work += finishPartitions();
            if (partitionsFinished == bounds.partitions())
            {
                if (publishControl(RecordSlot.END))
                {
                    endPublished = true;
                    work++;
                }
                return work;
            }
            if (overRate(now))
            {
                return work;
            }
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

    /** True once the checkpoint taken at the end of input (stop-at-end) is committed. */
    public boolean lastCheckpointCommitted()
    {
        return lastCheckpointCommitted;
    }

    private void restore(final Collection<TopicPartition> partitions)
    {
        final Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(new HashSet<>(partitions));
        for (final TopicPartition tp : partitions)
        {
            final OffsetAndMetadata om = committed.get(tp);
            assign(tp.partition(), true);
            if (om == null && bounds != null)
            {
                consumer.seek(tp, bounds.start(tp.partition()));
                nextOffset[tp.partition()] = bounds.start(tp.partition());
                publish(slot -> slot.restore(tp.partition(), Windowing.NO_WATERMARK, -1, Windowing.NO_WATERMARK));
                continue;
            }
            if (om == null || !exactlyOnce)
            {
                publish(slot -> slot.restore(tp.partition(), Windowing.NO_WATERMARK, -1, Windowing.NO_WATERMARK));
                continue;
            }
            final CommitMetadata m = CommitMetadata.parse(om.metadata());
            if (m == null)
            {
                throw new EngineException(tp + " has a committed offset without tally's metadata ('" + om.metadata() +
                    "'); use a group of tally's own (--group)");
            }
            consumer.seek(tp, om.offset());
            nextOffset[tp.partition()] = om.offset();
            publish(slot -> slot.restore(tp.partition(), m.maxTime(), m.position(), m.watermark()));
        }
    }

    /** Commits every acknowledged checkpoint waiting, for the partitions still assigned; returns how many. */
    private int commitAcknowledged(final boolean sync)
    {
        int n = 0;
        boolean last = false;
        Checkpoint c;
        while ((c = acknowledged.poll()) != null)
        {
            n++;
            last |= c.last();
            if (!exactlyOnce)
            {
                continue;
            }
            for (int i = 0; i < c.count(); i++)
            {
                final int p = c.partition(i);
                if (p < assigned.length && assigned[p])
                {
                    toCommit.put(new TopicPartition(topic, p), new OffsetAndMetadata(c.lowWater(i),
                        new CommitMetadata(c.position(i), c.watermark(i), c.maxTime(i)).format()));
                }
            }
        }
        if (!toCommit.isEmpty())
        {
            commit(sync || last);
        }
        if (last)
        {
            if (!exactlyOnce)
            {
                commitPositions(true);
            }
            lastCheckpointCommitted = true;
        }
        return n;
    }

    /** Commits {@link #toCommit} and journals it once Kafka took it; a refused commit is counted and dropped. */
    private void commit(final boolean sync)
    {
        if (sync)
        {
            try
            {
                consumer.commitSync(toCommit);
                committed(toCommit);
            }
            catch (final CommitFailedException | RebalanceInProgressException e)
            {
                counters.commitFailures.incrementAndGet();
            }
        }
        else
        {
            consumer.commitAsync(new HashMap<>(toCommit), (offsets, e) ->
            {
                if (e != null)
                {
                    counters.commitFailures.incrementAndGet();
                }
                else
                {
                    committed(offsets);
                }
            });
        }
        toCommit.clear();
    }

    /** Journals a commit Kafka acknowledged and prunes the journal every few seconds (consumer thread). */
    private void committed(final Map<TopicPartition, OffsetAndMetadata> offsets)
    {
        if (journal == null)
        {
            return;
        }
        if (journalPartitions.length < offsets.size())
        {
            journalPartitions = new int[offsets.size() * 2];
            journalOffsets = new long[offsets.size() * 2];
        }
        int count = 0;
        for (final Map.Entry<TopicPartition, OffsetAndMetadata> e : offsets.entrySet())
        {
            journalPartitions[count] = e.getKey().partition();
            journalOffsets[count] = e.getValue().offset();
            count++;
        }
        journal.checkpointCommitted(++checkpointId, journalPartitions, journalOffsets, count);
        final long now = System.nanoTime();
        if (now - nextPruneNs >= 0)
        {
            journal.prune();
            nextPruneNs = now + PRUNE_INTERVAL_NS;
        }
    }

    /** At-least-once baseline: commit the current position of every assigned partition, whatever was inserted. */
    private void commitPositions(final boolean sync)
    {
        for (final TopicPartition tp : consumer.assignment())
        {
            try
            {
                toCommit.put(tp, new OffsetAndMetadata(consumer.position(tp, Duration.ZERO)));
            }
            catch (final TimeoutException e)
            {
                // no position yet: nothing to commit for it
            }
        }
        if (!toCommit.isEmpty())
        {
            commit(sync);
        }
    }

    /**
     * Once a second: each assigned partition's lag, its end offset (the last stable offset, read_committed) minus the
     * next offset to go into the records ring. The end offsets are asked of the broker (one short request), not
     * taken from the last fetch: paused partitions do not fetch, and their lag is what matters most. When the broker
     * does not answer in time, the previous figures stay.
     */
    private void reportLag()
    {
        final List<TopicPartition> owned = new ArrayList<>();
        for (int p = 0; p < assigned.length && p < EngineCounters.REPORTED_PARTITIONS; p++)
        {
            if (assigned[p])
            {
                if (p >= partitionsById.length)
                {
                    partitionsById = Arrays.copyOf(partitionsById, Math.max(p + 1, partitionsById.length << 1));
                }
                if (partitionsById[p] == null)
                {
                    partitionsById[p] = new TopicPartition(topic, p);
                }
                owned.add(partitionsById[p]);
            }
        }
        final Map<TopicPartition, Long> ends;
        try
        {
            ends = owned.isEmpty() ? Map.of() : consumer.endOffsets(owned, LAG_REQUEST_TIMEOUT);
        }
        catch (final org.apache.kafka.common.KafkaException e)
        {
            return;
        }
        for (int p = 0; p < EngineCounters.REPORTED_PARTITIONS; p++)
        {
            final Long end = p < assigned.length && assigned[p] && p < partitionsById.length && partitionsById[p] != null ?
                ends.get(partitionsById[p]) : null;
            final long next = p < nextOffset.length ? nextOffset[p] : -1;
            counters.lag.setRelease(p, end == null || next < 0 ? -1 : Math.max(0, end - next));
        }
    }

    private void assign(final int partition, final boolean value)
    {
        if (partition >= assigned.length)
        {
            final int length = Math.max(partition + 1, assigned.length << 1);
            assigned = Arrays.copyOf(assigned, length);
            final int old = nextOffset.length;
            nextOffset = Arrays.copyOf(nextOffset, length);
            Arrays.fill(nextOffset, old, length, -1);
        }
        assigned[partition] = value;
        nextOffset[partition] = -1;
    }

    /** Publishes a control slot, waiting for room: control slots must not be lost. */
    private void publish(final java.util.function.Consumer<RecordSlot> fill)
    {
        final long seq = ring.next();
        fill.accept(ring.get(seq));
        ring.publish(seq);
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

    private static long[] filled(final int length, final long value)
    {
        final long[] a = new long[length];
        Arrays.fill(a, value);
        return a;
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
            if (r.partition() >= assigned.length || !assigned[r.partition()])
            {
                continue;
            }
            final long seq = ring.next();
            ring.get(seq).record(r.partition(), r.offset(), r.timestamp(), r.value());
            nextOffset[r.partition()] = r.offset() + 1;
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
            final Set<TopicPartition> assignment = consumer.assignment();
            consumer.pause(assignment);
            paused = true;
            EngineCounters.increment(counters.consumerPauses);
            counters.pausedPartitions.setRelease(assignment.size());
        }
    }

    private void resumeAll()
    {
        if (paused)
        {
            final Set<TopicPartition> resume = new HashSet<>(consumer.paused());
            if (finished != null)
            {
                resume.removeIf(tp -> finished[tp.partition()]);
            }
            consumer.resume(resume);
            paused = false;
            counters.pausedPartitions.setRelease(0);
        }
    }

    /**
     * Bounded read: pauses each partition that has become finished (its watermark, published by the windowing
     * thread at a tick, reached the stop, or everything below its end offset is in the ring); returns how many.
     */
    private int finishPartitions()
    {
        int n = 0;
        for (int p = 0; p < finished.length; p++)
        {
            if (finished[p])
            {
                continue;
            }
            final long wm = p < EngineCounters.REPORTED_PARTITIONS ? counters.watermarkMs.getAcquire(p) : Long.MIN_VALUE;
            if ((wm != Windowing.NO_WATERMARK && wm >= bounds.stopWatermarkMs()) ||
                (nextOffset[p] >= 0 && nextOffset[p] >= bounds.end(p)))
            {
                finished[p] = true;
                consumer.pause(List.of(new TopicPartition(topic, p)));
                n++;
            }
        }
        if (n > 0)
        {
            partitionsFinished += n;
        }
        return n;
    }

    /** Bounded read with a rate limit: true while more records went into the ring than the rate allows so far. */
    private boolean overRate(final long now)
    {
        final long rate = bounds.maxRecordsPerSecond();
        return rate > 0 && counters.recordsIn.getPlain() > (now - rateStartNs) / 1_000_000_000.0 * rate;
    }

    private boolean caughtUp()
    {
        for (final Map.Entry<TopicPartition, Long> e : endOffsets.entrySet())
        {
            final int partition = e.getKey().partition();
            if (partition >= assigned.length || !assigned[partition])
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
