package dev.tally.engine.latency;

import java.util.concurrent.atomic.AtomicIntegerArray;

import org.HdrHistogram.IntCountsHistogram;

/**
 * End-to-end latency of every record, without knowing at the record when it will become visible. The records the
 * windowing thread processes between two ticks form a cycle: their rows are emitted together at the tick and become
 * visible in ClickHouse when the batch carrying that tick's checkpoint is acknowledged (batches are acknowledged in
 * order, so every row of the cycle is visible then). A record with Kafka timestamp {@code ts} in a cycle that began
 * at {@code B} is kept as {@code B - ts} (in {@code before}) or {@code ts - B} (in {@code after}); once the cycle's
 * emit time {@code E} and acknowledgement time {@code A} are known, its latency is {@code (B - ts) + (A - B)}, so a
 * whole cycle is shifted into the recorders at once. Values are milliseconds, kept per cycle to 1% (a 2 s latency
 * to within 20 ms).
 * <p>
 * A pool of cycle slots, each FREE, RECORDING (windowing thread) or IN_FLIGHT (travelling with its checkpoint to the
 * writer thread, which records it and frees it). When no slot is free (ClickHouse stalled with many ticks in flight)
 * the windowing thread keeps recording into its current cycle, which then closes at a later tick: those records get
 * a later acknowledgement than their own, an over-estimate bounded by the ticks merged. Replayed records are not
 * recorded (their contribution was visible before the restart).
 */
public final class LatencyCycles
{
    /** Longest latency a cycle keeps apart; longer ones are clamped to it (and counted). */
    public static final long MAX_MS = LatencyRecorders.HIGHEST_MS;
    /** 1% value resolution per cycle (about 11 KB a slot for 24 hours); the recorders keep 3 digits. */
    private static final int SIGNIFICANT_DIGITS = 2;
    private static final int FREE = 0;
    private static final int RECORDING = 1;
    private static final int IN_FLIGHT = 2;

    private final IntCountsHistogram[] before;
    private final IntCountsHistogram[] after;
    private final long[] beganMs;
    private final long[] emittedMs;
    private final AtomicIntegerArray state;
    private final LatencyRecorders recorders;
    private int current = -1;
    private long clamped;

    public LatencyCycles(final int slots, final LatencyRecorders recorders)
    {
        this.before = new IntCountsHistogram[slots];
        this.after = new IntCountsHistogram[slots];
        this.beganMs = new long[slots];
        this.emittedMs = new long[slots];
        this.state = new AtomicIntegerArray(slots);
        this.recorders = recorders;
        for (int i = 0; i < slots; i++)
        {
            before[i] = new IntCountsHistogram(MAX_MS, SIGNIFICANT_DIGITS);
            after[i] = new IntCountsHistogram(MAX_MS, SIGNIFICANT_DIGITS);
        }
    }

    // ---- windowing thread ------------------------------------------------------------------------------------

    /** Starts the first cycle; call on the windowing thread before the first {@link #record}. */
    public void begin(final long nowMs)
    {
        current = acquire(0);
        if (current >= 0)
        {
            beganMs[current] = nowMs;
        }
    }

    /** A record with Kafka timestamp {@code timestampMs} (-1: none, not recorded) was processed. */
    public void record(final long timestampMs)
    {
        final int c = current;
        if (c < 0 || timestampMs < 0)
        {
            return;
        }
        final long d = beganMs[c] - timestampMs;
        if (d >= 0)
        {
            before[c].recordValue(clamp(d));
        }
        else
        {
            after[c].recordValue(clamp(-d));
        }
    }

    /**
     * The tick at {@code nowMs} emitted the current cycle's rows: returns the cycle to attach to the tick's checkpoint
     * and starts the next one, or returns -1 (the cycle goes on) when it is empty or no slot is free.
     */
    public int close(final long nowMs)
    {
        final int c = current;
        if (c < 0)
        {
            begin(nowMs);
            return -1;
        }
        if (before[c].getTotalCount() + after[c].getTotalCount() == 0)
        {
            beganMs[c] = nowMs;
            return -1;
        }
        final int next = acquire(c + 1);
        if (next < 0)
        {
            return -1;
        }
        emittedMs[c] = nowMs;
        state.setRelease(c, IN_FLIGHT); // the slot's histograms and times go with the checkpoint through the rings
        beganMs[next] = nowMs;
        current = next;
        return c;
    }

    /** Latencies clamped to {@link #MAX_MS} (windowing thread's count; read anywhere, may be stale). */
    public long clamped()
    {
        return clamped;
    }

    private int acquire(final int from)
    {
        final int n = state.length();
        for (int i = 0; i < n; i++)
        {
            final int slot = (from + i) % n;
            if (slot != current && state.getAcquire(slot) == FREE)
            {
                state.setPlain(slot, RECORDING);
                return slot;
            }
        }
        return -1;
    }

    private long clamp(final long ms)
    {
        if (ms > MAX_MS)
        {
            clamped++;
            return MAX_MS;
        }
        return ms;
    }

    // ---- writer thread ---------------------------------------------------------------------------------------

    /**
     * The batch carrying cycle {@code cycle}'s checkpoint was acknowledged at {@code ackMs}; its first insert attempt
     * began at {@code insertStartMs}. Records the cycle and frees its slot.
     */
    public void visible(final int cycle, final long insertStartMs, final long ackMs)
    {
        if (cycle < 0)
        {
            return;
        }
        final long began = beganMs[cycle];
        final long emitted = emittedMs[cycle];
        final long count = before[cycle].getTotalCount() + after[cycle].getTotalCount();
        shiftInto(recorders.total(), cycle, ackMs - began);
        shiftInto(recorders.emitWait(), cycle, emitted - began);
        recorders.queueWait().recordValueWithCount(LatencyRecorders.bound(insertStartMs - emitted), count);
        recorders.insert().recordValueWithCount(LatencyRecorders.bound(ackMs - insertStartMs), count);
        before[cycle].reset();
        after[cycle].reset();
        state.setRelease(cycle, FREE);
    }

    /** Adds every value of the cycle, shifted by {@code shift} (latency = before + shift, or shift - after). */
    private void shiftInto(final org.HdrHistogram.SingleWriterRecorder into, final int cycle, final long shift)
    {
        addShifted(before[cycle], into, shift, 1);
        addShifted(after[cycle], into, shift, -1);
    }

    private static void addShifted(final IntCountsHistogram h, final org.HdrHistogram.SingleWriterRecorder into,
        final long shift, final int sign)
    {
        if (h.getTotalCount() == 0)
        {
            return;
        }
        for (long v = h.getMinValue(), max = h.getMaxValue(); v <= max; v = h.nextNonEquivalentValue(v))
        {
            final long count = h.getCountAtValue(v);
            if (count > 0)
            {
                into.recordValueWithCount(LatencyRecorders.bound(shift + sign * h.medianEquivalentValue(v)), count);
            }
        }
    }
}
