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
 * own record sequence, so a replay classifies every record the same way. Single writer: the windowing thread.
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
    private final WindowStore store;
    private final RowSink rows;
    private final SideOutputSink side;

    private OpenWindows[][] open = new OpenWindows[0][];
    private long[] maxEventTime = new long[0];
    private int[] dirty = new int[1024];
    private int dirtySize;

    public Windowing(final WindowingConfig config, final RowSink rows, final SideOutputSink side)
    {
        this.watermarkDelayMs = config.watermarkDelayMs();
        this.allowedLatenessMs = config.allowedLatenessMs();
        this.maxFutureSkewMs = config.maxFutureSkewMs();
        this.kindMask = config.kindMask();
        this.generationBits = (long)config.generation() << GENERATION_SHIFT;
        this.store = new WindowStore(config.expectedRows());
        this.rows = rows;
        this.side = side;
    }

    /** A record that did not decode. */
    public void onMalformed(final int partition, final long offset)
    {
        side.onSideOutput(partition, offset, SideOutputSink.MALFORMED, SideOutputSink.NO_KIND);
    }

    /** One well-formed event at {@code offset} of {@code partition}; returns the mask of kinds that accepted it. */
    public int onEvent(final int partition, final long offset, final long kafkaTimestampMs, final long accountId,
        final int country, final long eventTimeMs, final long amount)
    {
        ensurePartition(partition);
        // No timestamp (-1, possible from old producers) means no future check; with one, the sum cannot overflow.
        if (kafkaTimestampMs >= 0 && eventTimeMs > kafkaTimestampMs + maxFutureSkewMs)
        {
            side.onSideOutput(partition, offset, SideOutputSink.FUTURE, SideOutputSink.NO_KIND);
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
            if (wm == NO_WATERMARK || wm < start + WindowKind.sizeMs(kind) + allowedLatenessMs)
            {
                fold(partition, kind, start, accountId, country, offset, amount, v);
                accepted |= 1 << kind;
            }
            else
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

    /** Emits every changed row, then drops windows whose end plus allowed lateness the watermark has reached. */
    public int onTick()
    {
        final int emitted = emitDirty();
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

    /** Live rows in state. */
    public int rowCount()
    {
        return store.size();
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
                index = w.open(-index - 1, start, offset);
            }
            id = store.insert(accountId, start, metaKey, w.head(index));
            w.head(index, id);
        }
        if (!store.dirty(id))
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
