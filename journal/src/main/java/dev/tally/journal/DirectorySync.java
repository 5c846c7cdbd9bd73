package dev.tally.journal;

import java.io.File;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import net.openhft.chronicle.queue.impl.StoreFileListener;

/**
 * Forces the journal directory when a roll-cycle file is first acquired, so that under {@link SyncPolicy#SYNC}
 * the file's directory entry is as durable as the entries forced into it.
 */
final class DirectorySync implements StoreFileListener
{
    private final Path dir;
    private int lastSyncedCycle = Integer.MIN_VALUE;

    DirectorySync(final Path dir)
    {
        this.dir = dir;
    }

    @Override
    public synchronized void onAcquired(final int cycle, final File file)
    {
        if (cycle > lastSyncedCycle)
        {
            force(dir);
            lastSyncedCycle = cycle;
        }
    }

    @Override
    public void onReleased(final int cycle, final File file)
    {
    }

    static void force(final Path dir)
    {
        try (FileChannel channel = FileChannel.open(dir, StandardOpenOption.READ))
        {
            channel.force(true);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException("cannot force directory " + dir, ex);
        }
    }
}
