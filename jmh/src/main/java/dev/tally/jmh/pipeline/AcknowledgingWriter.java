package dev.tally.jmh.pipeline;

import java.util.concurrent.atomic.AtomicLong;

import org.agrona.concurrent.Agent;

import dev.tally.engine.EngineCounters;
import dev.tally.engine.latency.LatencyCycles;
import dev.tally.engine.sink.Batch;
import dev.tally.engine.sink.BatchQueues;
import dev.tally.engine.sink.Checkpoint;

/**
 * Stands in for {@link dev.tally.engine.sink.ClickHouseWriter} without I/O: takes each full batch in order,
 * acknowledges it at once and returns it to the free pool, doing what the engine's writer listener does on the
 * writer thread apart from handing the checkpoint to the consumer (nothing here commits offsets): counts the batch
 * and its rows, and closes the checkpoint's latency cycle. A checkpoint's positions say how many records of each
 * partition have had all their rows acknowledged; their sum (offsets start at 0) is the records acknowledged.
 */
final class AcknowledgingWriter implements Agent
{
    private final BatchQueues queues;
    private final EngineCounters counters;
    private final LatencyCycles latency;
    private final AtomicLong recordsAcknowledged = new AtomicLong();

    AcknowledgingWriter(final BatchQueues queues, final EngineCounters counters, final LatencyCycles latency)
    {
        this.queues = queues;
        this.counters = counters;
        this.latency = latency;
    }

    @Override
    public int doWork()
    {
        final Batch batch = queues.full().poll();
        if (batch == null)
        {
            return 0;
        }
        if (batch.rows() > 0)
        {
            EngineCounters.increment(counters.batchesInserted);
            EngineCounters.add(counters.rowsInserted, batch.rows());
        }
        if (batch.hasCheckpoint())
        {
            final Checkpoint checkpoint = batch.checkpoint();
            final long nowMs = System.currentTimeMillis();
            latency.visible(checkpoint.latencyCycle(), nowMs, nowMs);
            long records = 0;
            for (int i = 0; i < checkpoint.count(); i++)
            {
                records += checkpoint.position(i);
            }
            recordsAcknowledged.setRelease(records);
        }
        if (!queues.free().offer(batch))
        {
            throw new IllegalStateException("free-batch queue rejected a batch: pool accounting is broken");
        }
        return 1;
    }

    /** Records whose rows are all acknowledged (any thread). */
    long recordsAcknowledged()
    {
        return recordsAcknowledged.getAcquire();
    }

    @Override
    public String roleName()
    {
        return "acknowledging-writer";
    }
}
