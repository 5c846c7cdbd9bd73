package dev.tally.engine.sink;

import dev.tally.engine.EngineCounters;
import dev.tally.engine.window.WindowKind;

import com.lmax.disruptor.EventPoller;
import com.lmax.disruptor.RingBuffer;
import org.agrona.concurrent.Agent;
import org.agrona.concurrent.IdleStrategy;

/**
 * The encoder thread: polls the rows ring and writes each row in RowBinary into the open batch of its table
 * (rollup_minute, rollup_hour, late_events). A batch is cut and handed to the writer when it holds
 * {@code batchRows} rows, when its first row has waited {@code batchMaxWait}, or at the end of input. Empty batches
 * come from the fixed pool in {@link BatchQueues}; when the pool is empty the encoder waits for the writer, which
 * holds back the rows ring and, through it, the whole pipeline.
 */
public final class EncoderAgent implements Agent, EventPoller.Handler<RowSlot>
{
    private static final int MAX_EVENTS_PER_POLL = 4096;

    private final EventPoller<RowSlot> poller;
    private final BatchQueues queues;
    private final int batchRows;
    private final long batchMaxWaitNs;
    private final IdleStrategy waitForFree;
    private final EngineCounters counters;
    private final Batch[] open = new Batch[Batch.TABLES];
    private final DeadLetters deadLetters;

    private long nextBatchId;
    private long nowNanos;
    private long nowMillis;
    private int handled;
    private volatile boolean ended;
    private volatile boolean closing;

    /**
     * @param firstBatchId the id of this run's first batch; ids then increase by one per batch cut
     * @param deadLetters  where side-output records are also published, or null for none
     */
    public EncoderAgent(final RingBuffer<RowSlot> rows, final BatchQueues queues, final int batchRows,
        final long batchMaxWaitNs, final long firstBatchId, final IdleStrategy waitForFree, final EngineCounters counters,
        final DeadLetters deadLetters)
    {
        this.deadLetters = deadLetters;
        this.poller = rows.newPoller();
        rows.addGatingSequences(poller.getSequence());
        this.queues = queues;
        this.batchRows = batchRows;
        this.batchMaxWaitNs = batchMaxWaitNs;
        this.nextBatchId = firstBatchId;
        this.waitForFree = waitForFree;
        this.counters = counters;
    }

    @Override
    public int doWork() throws Exception
    {
        handled = 0;
        nowNanos = System.nanoTime();
        nowMillis = System.currentTimeMillis();
        poller.poll(this);
        return handled + cutExpired();
    }

    @Override
    public boolean onEvent(final RowSlot slot, final long sequence, final boolean endOfBatch)
    {
        switch (slot.type())
        {
            case RowSlot.ROW -> appendRow(slot);
            case RowSlot.SIDE_OUTPUT -> appendSideOutput(slot);
            case RowSlot.TICK -> cutExpired();
            case RowSlot.CHECKPOINT -> cutAllWith(slot.checkpoint());
            case RowSlot.END ->
            {
                for (int table = 0; table < Batch.TABLES; table++)
                {
                    cut(table);
                }
                if (deadLetters != null)
                {
                    deadLetters.flush();
                }
                ended = true;
            }
            default -> throw new IllegalStateException("unknown row slot type " + slot.type());
        }
        return ++handled < MAX_EVENTS_PER_POLL;
    }

    private void appendRow(final RowSlot s)
    {
        final int table = s.kind() == WindowKind.MINUTE ? Batch.ROLLUP_MINUTE : Batch.ROLLUP_HOUR;
        final Batch b = batch(table);
        RollupRowEncoder.encode(b.body(), b.length(), s.windowStartMs(), s.accountId(), s.country(), s.partition(),
            s.count(), s.sumLo(), s.sumHi(), s.version(), b.batchId(), nowMillis);
        b.appended(RollupRowEncoder.ROW_LENGTH, nowNanos);
        if (b.rows() >= batchRows)
        {
            cut(table);
        }
    }

    private void appendSideOutput(final RowSlot s)
    {
        final Batch b = batch(Batch.LATE_EVENTS);
        final int start = b.length();
        final int end = LateEventEncoder.encode(b.body(), start, s.partition(), s.offset(), s.kind(), s.reason(),
            s.eventTimeMs(), s.accountId(), s.country(), s.amount(), s.raw(), 0, s.rawLength(), nowMillis);
        b.appended(end - start, nowNanos);
        if (deadLetters != null)
        {
            deadLetters.publish(s);
        }
        if (b.rows() >= batchRows)
        {
            cut(Batch.LATE_EVENTS);
        }
    }

    /** The open batch of {@code table}, taking an empty one from the pool (waiting for the writer if need be). */
    private Batch batch(final int table)
    {
        Batch b = open[table];
        if (b == null)
        {
            waitForFree.reset();
            while ((b = queues.free().poll()) == null)
            {
                if (closing)
                {
                    throw new IllegalStateException("encoder closed while waiting for a free batch");
                }
                waitForFree.idle();
            }
            open[table] = b.reset(table, nextBatchId++);
        }
        return b;
    }

    private int cutExpired()
    {
        int cut = 0;
        for (int table = 0; table < Batch.TABLES; table++)
        {
            final Batch b = open[table];
            if (b != null && b.rows() > 0 && nowNanos - b.firstRowNanos() >= batchMaxWaitNs)
            {
                cut(table);
                cut++;
            }
        }
        return cut;
    }

    private void cut(final int table)
    {
        final Batch b = open[table];
        if (b == null || b.rows() == 0)
        {
            return;
        }
        open[table] = null;
        handOver(b);
    }

    private void handOver(final Batch b)
    {
        // The pool bounds the batches in existence, so the full queue (same capacity) always has room.
        if (!queues.full().offer(b))
        {
            throw new IllegalStateException("full-batch queue rejected a batch: pool accounting is broken");
        }
        EngineCounters.increment(counters.batchesCut);
    }

    /**
     * Cuts every open batch and attaches the checkpoint to the last one handed over (an empty batch when none was
     * open): the writer acknowledges batches in order, so when that one is acknowledged every row emitted before the
     * checkpoint is in ClickHouse.
     */
    private void cutAllWith(final Checkpoint checkpoint)
    {
        int last = -1;
        for (int table = 0; table < Batch.TABLES; table++)
        {
            if (open[table] != null && open[table].rows() > 0)
            {
                last = table;
            }
        }
        if (last < 0)
        {
            final Batch marker = batch(Batch.LATE_EVENTS);
            open[Batch.LATE_EVENTS] = null;
            marker.attach(checkpoint);
            handOver(marker);
            return;
        }
        for (int table = 0; table < Batch.TABLES; table++)
        {
            if (table == last)
            {
                open[table].attach(checkpoint);
            }
            cut(table);
        }
    }

    /** True once the end signal arrived and every open batch was handed to the writer. */
    public boolean ended()
    {
        return ended;
    }

    @Override
    public void onClose()
    {
        closing = true;
        if (deadLetters != null)
        {
            deadLetters.close();
        }
    }

    @Override
    public String roleName()
    {
        return "rowbinary-encoder";
    }
}
