package dev.tally.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

import org.agrona.CloseHelper;

/**
 * An exclusive OS file lock on {@code tally-journal.lock} in the journal directory: one journal per directory, in
 * one process. The OS drops it when the process dies, however it dies.
 */
final class DirectoryLock implements AutoCloseable
{
    static final String LOCK_FILE = "tally-journal.lock";

    private final FileChannel channel;
    private final FileLock lock;

    private DirectoryLock(final FileChannel channel, final FileLock lock)
    {
        this.channel = channel;
        this.lock = lock;
    }

    /**
     * @param dir an existing directory.
     * @return the held lock.
     * @throws IllegalStateException if another process, or this one, holds it.
     */
    static DirectoryLock acquire(final Path dir)
    {
        FileChannel channel = null;
        try
        {
            channel = FileChannel.open(dir.resolve(LOCK_FILE), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = null;
            try
            {
                lock = channel.tryLock();
            }
            catch (final OverlappingFileLockException ignore)
            {
                // held by this JVM: lock stays null
            }
            if (null == lock)
            {
                throw new IllegalStateException("journal " + dir + " is open elsewhere");
            }
            return new DirectoryLock(channel, lock);
        }
        catch (final IOException ex)
        {
            CloseHelper.quietClose(channel);
            throw new UncheckedIOException("cannot lock journal " + dir, ex);
        }
        catch (final RuntimeException ex)
        {
            CloseHelper.quietClose(channel);
            throw ex;
        }
    }

    @Override
    public void close()
    {
        CloseHelper.closeAll(lock, channel);
    }
}
