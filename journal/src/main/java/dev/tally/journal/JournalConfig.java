package dev.tally.journal;

import java.nio.file.Path;
import java.util.Objects;

import net.openhft.chronicle.bytes.SyncMode;

import net.openhft.chronicle.core.time.SystemTimeProvider;
import net.openhft.chronicle.core.time.TimeProvider;
import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.RollCycles;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;

/**
 * How a {@link Journal} stores its entries.
 *
 * @param sync            when entries are forced to the device; see {@link SyncPolicy}.
 * @param rollCycle       how often a new queue file starts; {@link Journal#prune} deletes whole files, so this bounds
 *                        the disk a journal keeps beyond what it needs.
 * @param timeProvider    the clock that decides the roll cycle (tests pass a clock they control).
 * @param blockSize       the memory-mapping chunk of the queue files in bytes, or 0 for Chronicle Queue's default.
 * @param maxPayloadBytes the largest payload {@link Journal#prepared} accepts.
 */
public record JournalConfig(
    SyncPolicy sync, RollCycle rollCycle, TimeProvider timeProvider, long blockSize, int maxPayloadBytes)
{
    /** The default largest payload: 64 MiB. */
    public static final int DEFAULT_MAX_PAYLOAD_BYTES = 64 << 20;

    /** The largest payload any configuration accepts (a queue entry's length field holds 30 bits). */
    public static final int MAX_PAYLOAD_BYTES = (1 << 30) - (1 << 20);

    /** Validates the configuration. */
    public JournalConfig
    {
        Objects.requireNonNull(sync, "sync");
        Objects.requireNonNull(rollCycle, "rollCycle");
        Objects.requireNonNull(timeProvider, "timeProvider");
        if (blockSize < 0)
        {
            throw new IllegalArgumentException("blockSize must be >= 0, not " + blockSize);
        }
        if (maxPayloadBytes < 0 || maxPayloadBytes > MAX_PAYLOAD_BYTES)
        {
            throw new IllegalArgumentException(
                "maxPayloadBytes must be in [0, " + MAX_PAYLOAD_BYTES + "], not " + maxPayloadBytes);
        }
    }

    /** @return no forced syncs, five-minute roll cycles, the system clock, 64 MiB payloads at most. */
    public static JournalConfig defaults()
    {
        return new JournalConfig(
            SyncPolicy.NONE, RollCycles.FIVE_MINUTELY, SystemTimeProvider.INSTANCE, 0, DEFAULT_MAX_PAYLOAD_BYTES);
    }

    /**
     * @param sync the sync policy.
     * @return this configuration with {@code sync}.
     */
    public JournalConfig withSync(final SyncPolicy sync)
    {
        return new JournalConfig(sync, rollCycle, timeProvider, blockSize, maxPayloadBytes);
    }

    /**
     * @param rollCycle the roll cycle.
     * @return this configuration with {@code rollCycle}.
     */
    public JournalConfig withRollCycle(final RollCycle rollCycle)
    {
        return new JournalConfig(sync, rollCycle, timeProvider, blockSize, maxPayloadBytes);
    }

    /**
     * @param timeProvider the clock.
     * @return this configuration with {@code timeProvider}.
     */
    public JournalConfig withTimeProvider(final TimeProvider timeProvider)
    {
        return new JournalConfig(sync, rollCycle, timeProvider, blockSize, maxPayloadBytes);
    }

    /**
     * @param blockSize the mapping chunk in bytes, or 0 for the default.
     * @return this configuration with {@code blockSize}.
     */
    public JournalConfig withBlockSize(final long blockSize)
    {
        return new JournalConfig(sync, rollCycle, timeProvider, blockSize, maxPayloadBytes);
    }

    /**
     * @param maxPayloadBytes the largest payload.
     * @return this configuration with {@code maxPayloadBytes}.
     */
    public JournalConfig withMaxPayloadBytes(final int maxPayloadBytes)
    {
        return new JournalConfig(sync, rollCycle, timeProvider, blockSize, maxPayloadBytes);
    }

    /**
     * @param dir the journal directory.
     * @return a queue builder for {@code dir} with this configuration.
     */
    SingleChronicleQueueBuilder queueBuilder(final Path dir)
    {
        final SingleChronicleQueueBuilder builder = SingleChronicleQueueBuilder.binary(dir)
            .rollCycle(rollCycle)
            .timeProvider(timeProvider)
            .syncMode(SyncPolicy.SYNC == sync ? SyncMode.SYNC : SyncMode.NONE);
        if (blockSize > 0)
        {
            builder.blockSize(blockSize);
        }
        if (SyncPolicy.SYNC == sync)
        {
            builder.storeFileListener(new DirectorySync(dir));
        }
        return builder;
    }
}
