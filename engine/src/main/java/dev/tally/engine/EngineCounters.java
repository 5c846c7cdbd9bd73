package dev.tally.engine;

import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * Counters of the pipeline's stages. Each counter has one writer (its stage's thread), which publishes with
 * {@code setRelease}/{@code lazySet}-style increments; any thread may read them.
 */
public final class EngineCounters
{
    /** Records published into the records ring (consumer thread). */
    public final AtomicLong recordsIn = new AtomicLong();
    /** Times the consumer paused its partitions because the records ring was full (consumer thread). */
    public final AtomicLong consumerPauses = new AtomicLong();
    /** Records accepted into at least one window (windowing thread). */
    public final AtomicLong recordsAccepted = new AtomicLong();
    /** Side-output rows by reason: malformed, future, late (windowing thread). */
    public final AtomicLong malformed = new AtomicLong();
    public final AtomicLong future = new AtomicLong();
    public final AtomicLong late = new AtomicLong();
    /** Rollup rows emitted (windowing thread). */
    public final AtomicLong rowsEmitted = new AtomicLong();
    /** Batches cut by the encoder (encoder thread). */
    public final AtomicLong batchesCut = new AtomicLong();
    /** Batches and rows acknowledged by ClickHouse, and retries (writer thread). */
    public final AtomicLong batchesInserted = new AtomicLong();
    public final AtomicLong rowsInserted = new AtomicLong();
    public final AtomicLong insertRetries = new AtomicLong();
    /** Partitions taken away without a revocation: this instance was fenced from its group (consumer thread). */
    public final AtomicLong partitionsLost = new AtomicLong();
    /** Offset commits that failed (consumer callback; a later commit supersedes them). */
    public final AtomicLong commitFailures = new AtomicLong();
    /** Side-output records the dead-letter topic failed to take (producer callback threads, hence atomic adds). */
    public final AtomicLong deadLetterErrors = new AtomicLong();

    /** Partitions whose lag is reported; higher partition numbers are left out of {@link #lag}. */
    public static final int REPORTED_PARTITIONS = 1024;
    /** Kafka lag (records) per partition, -1 when not assigned here or not known yet (consumer thread, each second). */
    public final AtomicLongArray lag = new AtomicLongArray(REPORTED_PARTITIONS);
    /** Partitions paused right now because the records ring is full (consumer thread). */
    public final AtomicLong pausedPartitions = new AtomicLong();
    /** The smallest watermark of the partitions owned, Long.MIN_VALUE when none has one (windowing thread, per tick). */
    public final AtomicLong minWatermarkMs = new AtomicLong(Long.MIN_VALUE);
    /** Watermark per partition, Long.MIN_VALUE when none (windowing thread, per tick; a backfill stops on it). */
    public final AtomicLongArray watermarkMs = new AtomicLongArray(REPORTED_PARTITIONS);

    public EngineCounters()
    {
        for (int p = 0; p < REPORTED_PARTITIONS; p++)
        {
            lag.setPlain(p, -1);
            watermarkMs.setPlain(p, Long.MIN_VALUE);
        }
    }

    /** Single-writer increment: a plain read and an ordered write, no read-modify-write instruction. */
    public static void increment(final AtomicLong counter)
    {
        counter.setRelease(counter.getPlain() + 1);
    }

    public static void add(final AtomicLong counter, final long delta)
    {
        counter.setRelease(counter.getPlain() + delta);
    }
}
