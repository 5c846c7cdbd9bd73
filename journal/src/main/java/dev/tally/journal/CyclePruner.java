package dev.tally.journal;

import java.io.File;

import net.openhft.chronicle.queue.RollCycle;
import net.openhft.chronicle.queue.impl.RollingResourcesCache;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;

/**
 * Deletes the roll-cycle files the journal no longer needs: those older than the cycle of the last committed
 * checkpoint, older than the cycle of the oldest pending batch, and older than the current cycle.
 */
final class CyclePruner
{
    private final SingleChronicleQueue queue;
    private final RollingResourcesCache files;

    CyclePruner(final SingleChronicleQueue queue)
    {
        this.queue = queue;
        final File dir = queue.file();
        this.files = new RollingResourcesCache(
            queue.rollCycle(),
            queue.epoch(),
            (name) -> new File(dir, name + SingleChronicleQueue.SUFFIX),
            (file) -> file.getName().substring(0, file.getName().length() - SingleChronicleQueue.SUFFIX.length()));
    }

    /**
     * The first cycle that must be kept; every cycle before it holds only entries that are acknowledged (or are
     * acknowledgements and checkpoints) and that precede the last committed checkpoint.
     *
     * @param state        the journal's state.
     * @param currentCycle the cycle being appended to.
     * @return the first cycle to keep.
     */
    int keepFrom(final JournalState state, final int currentCycle)
    {
        if (JournalState.NONE == state.checkpointIndex())
        {
            return Integer.MIN_VALUE;
        }
        final RollCycle rollCycle = queue.rollCycle();
        int keep = Math.min(currentCycle, rollCycle.toCycle(state.checkpointIndex()));
        final long oldestPending = state.oldestPendingIndex();
        if (JournalState.NONE != oldestPending)
        {
            keep = Math.min(keep, rollCycle.toCycle(oldestPending));
        }
        return keep;
    }

    /**
     * @param keepFrom the first cycle to keep, from {@link #keepFrom}.
     * @return the number of cycle files deleted.
     */
    int deleteBefore(final int keepFrom)
    {
        if (Integer.MIN_VALUE == keepFrom)
        {
            return 0;
        }
        final File[] cycleFiles = queue.file().listFiles((d, name) -> name.endsWith(SingleChronicleQueue.SUFFIX));
        int deleted = 0;
        for (final File file : null == cycleFiles ? new File[0] : cycleFiles)
        {
            final Long cycle = files.toLong(file);
            if (null != cycle && cycle < keepFrom && file.delete())
            {
                deleted++;
            }
        }
        if (deleted > 0)
        {
            queue.refreshDirectoryListing();
        }
        return deleted;
    }
}
