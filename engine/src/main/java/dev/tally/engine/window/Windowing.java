package dev.tally.engine.window;

import java.util.Arrays;

/**
 * Event-time tumbling windows with a per-partition watermark and allowed lateness (the semantics of
 * docs/windowing.md). For each partition p, in offset order:
 * <ul>
 * <li>{@code M_p} is the largest event_time of the well-formed, non-future records seen before the current one;
 *     the watermark is {@code M_p - watermarkDelay} (-inf before the first such record);</li>
 * <li>a record whose event_time is more than {@code maxFutureSkew} ahead of its Kafka timestamp goes to the side
 *     output as {@code future} and leaves {@code M_p} alone (a record without a timestamp is never future);</li>
 * <li>for each enabled kind, a record whose window ends at E is accepted iff {@code watermark < E + lateness},
 *     else it goes to the side output as {@code late} for that kind.</li>
 * </ul>
 * Accepted records are folded into the row (window, account, country, partition) with version
 * {@code (generation << 48) | (offset + 1)}. {@link #onTick} emits every row changed since its last emission, then
 * drops windows the watermark has passed by the allowed lateness. Classification depends only on the partition's
 * own record sequence, so a replay classifies every record the same way.
 * <p>
 * A backfill ({@link WindowingConfig#backfill()}) folds only windows wholly inside its range, sends only their late
 * records to the side output, and emits each row once, when its window closes, so it never writes a partial row.
 * Single writer: the windowing thread.
 */
public final class Windowing
{
    public static final long NO_WATERMARK = Long.MIN_VALUE;
    public static final int GENERATION_SHIFT = 48;
    public static final long OFFSET_MASK = (1L << GENERATION_SHIFT) - 1;

    private final long watermarkDelayMs;
    private final long allowedLatenessMs;
    private final long maxFutureSkewMs;
    private final int kindMask;
    private final long generationBits;
    private final long rangeFromMs;
    private final long rangeToMs;
    private final boolean backfill;
    private final WindowStore store;
    private final RowSink rows;
    private final SideOutputSink side;

    private OpenWindows[][] open = new OpenWindows[0][];
    private long[] maxEventTime = new long[0];
    private long[] position = new long[0];
    private long[] suppressBelow = new long[0];
    private long[] suppressWatermark = new long[0];
    private int[] dirty = new int[1024];
    private int dirtySize;

    public Windowing(final WindowingConfig config, final RowSink rows, final SideOutputSink side)
    {
        this.watermarkDelayMs = config.watermarkDelayMs();
        this.allowedLatenessMs = config.allowedLatenessMs();
        this.maxFutureSkewMs = config.maxFutureSkewMs();
        this.kindMask = config.kindMask();
        this.generationBits = (long)config.generation() << GENERATION_SHIFT;
        this.rangeFromMs = config.rangeFromMs();
        this.rangeToMs = config.rangeToMs();
        this.backfill = config.backfill();
        this.store = new WindowStore(config.expectedRows());
        this.rows = rows;
        this.side = side;
    }

    /** A record that did not decode. */
    public void onMalformed(final int partition, final long offset)
    {
        ensurePartition(partition);
        position[partition] = offset + 1;
        if (!backfill)
        {
            side.onSideOutput(partition, offset, SideOutputSink.MALFORMED, SideOutputSink.NO_KIND);
        }
    }

    /** One well-formed event at {@code offset} of {@code partition}; returns the mask of kinds that accepted it. */
    public int onEvent(final int partition, final long offset, final long kafkaTimestampMs, final long accountId,
        final int country, final long eventTimeMs, final long amount)
    {
        ensurePartition(partition);
        position[partition] = offset + 1;
        // No timestamp (-1, possible from old producers) means no future check; with one, the sum cannot overflow.
        if (kafkaTimestampMs >= 0 && eventTimeMs > kafkaTimestampMs + maxFutureSkewMs)
        {
            if (!backfill)
            {
                side.onSideOutput(partition, offset, SideOutputSink.FUTURE, SideOutputSink.NO_KIND);
            }
            return 0;
        }
        final long wm = watermark(partition);
        final long v = generationBits | (offset + 1);
        int accepted = 0;
        for (int kind = 0; kind < WindowKind.COUNT; kind++)
        {
            if ((kindMask & (1 << kind)) == 0)
            {
                continue;
            }
            final long start = WindowKind.start(kind, eventTimeMs);
            final long end = start + WindowKind.sizeMs(kind);
            final long closesAt = end + allowedLatenessMs;
            final boolean inRange = start >= rangeFromMs && end <= rangeToMs;
            if (wm == NO_WATERMARK || wm < closesAt)
            {
                // Replaying below the checkpoint we recovered from: a window already closed there has landed whole.
                if (inRange && (offset >= suppressBelow[partition] || closesAt > suppressWatermark[partition]))
                {
                    fold(partition, kind, start, accountId, country, offset, amount, v);
                }
                accepted |= 1 << kind;
            }
            else if (inRange)
            {
                side.onSideOutput(partition, offset, SideOutputSink.LATE, kind);
            }
        }
        if (eventTimeMs > maxEventTime[partition])
        {
            maxEventTime[partition] = eventTimeMs;
        }
        return accepted;
    }

    /**
     * Emits every changed row (a backfill: none), then drops windows whose end plus allowed lateness the watermark
     * has reached (a backfill emits their rows first).
     */
    public int onTick()
    {
        int emitted = emitDirty();
        for (int p = 0; p < open.length; p++)
        {
            final OpenWindows[] kinds = open[p];
            if (kinds == null)
            {
                continue;
            }
            final long wm = watermark(p);
            for (int kind = 0; kind < WindowKind.COUNT; kind++)
            {
                final OpenWindows w = kinds[kind];
                final long span = WindowKind.sizeMs(kind) + allowedLatenessMs;
                while (w.size() > 0 && wm != NO_WATERMARK && wm >= w.start(0) + span)
                {
                    for (int id = w.head(0); id != WindowStore.NONE; )
                    {
                        final int nextId = store.next(id);
                        if (backfill)
                        {
                            store.emit(id, rows);
                            emitted++;
                        }
                        store.remove(id);
                        id = nextId;
                    }
                    w.closeFirst();
                }
            }
        }
        return emitted;
    }

    /** The watermark of {@code partition}: {@code M_p - watermarkDelay}, or {@link #NO_WATERMARK}. */
    public long watermark(final int partition)
    {
        if (partition >= maxEventTime.length)
        {
            return NO_WATERMARK;
        }
        final long m = maxEventTime[partition];
        return m == NO_WATERMARK ? NO_WATERMARK : m - watermarkDelayMs;
    }

    /** Partitions this stage has state slots for (some may be empty). */
    public int partitionSlots()
    {
        return open.length;
    }

    /** Emits each row's change since its previous emission (the at-least-once baseline); before the first record. */
    public void emitDeltas()
    {
        store.emitDeltas();
    }

    /** The offset after the last record of {@code partition} processed, or -1 when none since start or restore. */
    public long position(final int partition)
    {
        return partition < position.length ? position[partition] : -1;
    }

    /**
     * Where a replay must start so that every window still open is rebuilt whole: the first offset of the oldest
     * open window, or {@link #position} when none is open.
     */
    public long lowWater(final int partition)
    {
        long low = position(partition);
        if (partition < open.length && open[partition] != null)
        {
            for (final OpenWindows w : open[partition])
            {
                final int i = w.earliestFirstOffset();
                if (i >= 0 && w.firstOffset(i) < low)
                {
                    low = w.firstOffset(i);
                }
            }
        }
        return low;
    }

    /**
     * True while {@code partition} replays below the position of the checkpoint it was restored from. Its windows
     * that closed there are not in state, so a checkpoint taken now would claim less than the one restored: the
     * partition keeps committing the restored checkpoint until the replay has passed it.
     */
    public boolean replaying(final int partition)
    {
        return partition < position.length && position[partition] < suppressBelow[partition];
    }

    /** The partition's largest event time before the record at {@link #lowWater}: what a replay restores. */
    public long maxEventTimeAtLowWater(final int partition)
    {
        long low = position(partition);
        long max = partition < maxEventTime.length ? maxEventTime[partition] : NO_WATERMARK;
        if (partition < open.length && open[partition] != null)
        {
            for (final OpenWindows w : open[partition])
            {
                final int i = w.earliestFirstOffset();
                if (i >= 0 && w.firstOffset(i) < low)
                {
                    low = w.firstOffset(i);
                    max = w.maxTimeBefore(i);
                }
            }
        }
        return max;
    }

    /**
     * Starts {@code partition} over for a replay from a checkpoint: no state, the largest event time {@code maxTime}
     * as it was at the replay's first offset, and, for records below {@code checkpointPosition}, no folding into
     * windows that had closed at {@code checkpointWatermark} (they were emitted whole and acknowledged before the
     * checkpoint was committed; rebuilding them from the replay alone would give a partial row with a final version).
     */
    public void restore(final int partition, final long maxTime, final long checkpointPosition,
        final long checkpointWatermark)
    {
        drop(partition);
        maxEventTime[partition] = maxTime;
        suppressBelow[partition] = checkpointPosition;
        suppressWatermark[partition] = checkpointWatermark;
    }

    /** Forgets {@code partition} (revoked): changed rows are emitted first, then its windows leave the state. */
    public void drop(final int partition)
    {
        ensurePartition(partition);
        emitDirty();
        for (final OpenWindows w : open[partition])
        {
            for (int i = 0; i < w.size(); i++)
            {
                for (int id = w.head(i); id != WindowStore.NONE; )
                {
                    final int nextId = store.next(id);
                    store.remove(id);
                    id = nextId;
                }
            }
            w.clear();
        }
        maxEventTime[partition] = NO_WATERMARK;
        position[partition] = -1;
        suppressBelow[partition] = -1;
        suppressWatermark[partition] = NO_WATERMARK;
    }

    /** Live rows in state. */
    public int rowCount()
    {
        return store.size();
    }

    /** The row store, to read its size and footprint from (benchmarks); only this class changes it. */
    public WindowStore store()
    {
        return store;
    }

    private int emitDirty()
    {
        final int n = dirtySize;
        for (int i = 0; i < n; i++)
        {
            final int id = dirty[i];
            if (store.dirty(id))
            {
                store.emit(id, rows);
            }
        }
        dirtySize = 0;
        return n;
    }

    private void fold(final int partition, final int kind, final long start, final long accountId, final int country,
        final long offset, final long amount, final long v)
    {
        final long metaKey = WindowStore.meta(partition, kind, country);
        int id = store.find(accountId, start, metaKey);
        if (id == WindowStore.NONE)
        {
            final OpenWindows w = open[partition][kind];
            int index = w.indexOf(start);
            if (index < 0)
            {
                index = w.open(-index - 1, start, offset, maxEventTime[partition]);
            }
            id = store.insert(accountId, start, metaKey, w.head(index));
            w.head(index, id);
        }
        if (!backfill && !store.dirty(id))
        {
            if (dirtySize == dirty.length)
            {
                dirty = Arrays.copyOf(dirty, dirtySize << 1);
            }
            dirty[dirtySize++] = id;
        }
        store.fold(id, amount, v);
    }

    private void ensurePartition(final int partition)
    {
        if (partition >= open.length)
        {
            final int oldLength = open.length;
            final int length = Math.max(partition + 1, oldLength << 1);
            open = Arrays.copyOf(open, length);
            maxEventTime = Arrays.copyOf(maxEventTime, length);
            Arrays.fill(maxEventTime, oldLength, length, NO_WATERMARK);
            position = Arrays.copyOf(position, length);
            Arrays.fill(position, oldLength, length, -1);
            suppressBelow = Arrays.copyOf(suppressBelow, length);
            Arrays.fill(suppressBelow, oldLength, length, -1);
            suppressWatermark = Arrays.copyOf(suppressWatermark, length);
            Arrays.fill(suppressWatermark, oldLength, length, NO_WATERMARK);
        }
        if (open[partition] == null)
        {
            final OpenWindows[] kinds = new OpenWindows[WindowKind.COUNT];
            for (int k = 0; k < kinds.length; k++)
            {
                kinds[k] = new OpenWindows();
            }
            open[partition] = kinds;
        }
    }
}
