package dev.tally.engine.latency;

import org.HdrHistogram.SingleWriterRecorder;

/**
 * End-to-end latency in milliseconds, whole and in its parts, each a {@link SingleWriterRecorder} whose single writer
 * is the ClickHouse writer thread (through {@link LatencyCycles#visible}); a reporter takes interval histograms.
 * <ul>
 * <li>{@code total}: acknowledgement of the batch that made the record's rows visible minus the record's Kafka
 *     timestamp (the generator's intended send time in paced runs);</li>
 * <li>{@code emitWait}: the tick that emitted its rows minus its timestamp (Kafka, the records ring, waiting for the
 *     emit interval);</li>
 * <li>{@code queueWait}: first insert attempt of that batch minus the tick (encoding, waiting for the batch to be cut
 *     and for the writer);</li>
 * <li>{@code insert}: acknowledgement minus the first attempt (the insert itself, retries included).</li>
 * </ul>
 */
public final class LatencyRecorders
{
    /** Largest value kept; longer latencies are recorded as this. */
    public static final long HIGHEST_MS = 86_400_000L;
    public static final int SIGNIFICANT_DIGITS = 3;
    /** The parts in report order; the index of each is its position here. */
    public static final String[] PARTS = {"total", "emit_wait", "queue_wait", "insert"};

    private final SingleWriterRecorder[] recorders = new SingleWriterRecorder[PARTS.length];

    public LatencyRecorders()
    {
        for (int i = 0; i < recorders.length; i++)
        {
            recorders[i] = new SingleWriterRecorder(HIGHEST_MS, SIGNIFICANT_DIGITS);
        }
    }

    static long bound(final long ms)
    {
        return ms < 0 ? 0 : Math.min(ms, HIGHEST_MS);
    }

    public SingleWriterRecorder part(final int index)
    {
        return recorders[index];
    }

    SingleWriterRecorder total()
    {
        return recorders[0];
    }

    SingleWriterRecorder emitWait()
    {
        return recorders[1];
    }

    SingleWriterRecorder queueWait()
    {
        return recorders[2];
    }

    SingleWriterRecorder insert()
    {
        return recorders[3];
    }
}
