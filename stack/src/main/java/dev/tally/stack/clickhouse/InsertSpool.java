package dev.tally.stack.clickhouse;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Files holding insert bodies until chDB reads them with {@code INSERT ... FROM INFILE}: chDB stops reading inline
 * data at the first blank line, which binary formats contain at random, so rows never travel inline.
 * <p>
 * Invariant: a spool file is complete before its insert runs, so a client that disconnects mid-body never gets a
 * partial insert.
 */
final class InsertSpool
{
    private static final int COPY_BUFFER = 256 * 1024;

    private final Path dir;
    private final AtomicLong sequence = new AtomicLong();
    private final AtomicLong bytesSpooled = new AtomicLong();

    /** Creates {@code dir} and removes what a killed process left in it. */
    InsertSpool(final Path dir) throws IOException
    {
        this.dir = dir;
        Files.createDirectories(dir);
        try (var stale = Files.list(dir))
        {
            for (final Path p : (Iterable<Path>)stale::iterator)
            {
                Files.deleteIfExists(p);
            }
        }
    }

    /** Writes {@code prefix[offset, limit)} then all of {@code rest} to a new file and returns it. */
    Path spool(final byte[] prefix, final int offset, final int limit, final InputStream rest) throws IOException
    {
        final Path file = dir.resolve("insert-" + sequence.incrementAndGet() + ".data");
        boolean done = false;
        try (FileChannel channel = FileChannel.open(file,
            StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE))
        {
            long total = 0;
            if (limit > offset)
            {
                total += writeFully(channel, ByteBuffer.wrap(prefix, offset, limit - offset));
            }
            final byte[] buffer = new byte[COPY_BUFFER];
            int n;
            while ((n = rest.read(buffer)) >= 0)
            {
                total += writeFully(channel, ByteBuffer.wrap(buffer, 0, n));
            }
            bytesSpooled.addAndGet(total);
            done = true;
            return file;
        }
        finally
        {
            if (!done)
            {
                Files.deleteIfExists(file);
            }
        }
    }

    void release(final Path file)
    {
        try
        {
            Files.deleteIfExists(file);
        }
        catch (final IOException ignore)
        {
            // The next start empties the spool directory.
        }
    }

    long bytesSpooled()
    {
        return bytesSpooled.get();
    }

    private static int writeFully(final FileChannel channel, final ByteBuffer buffer) throws IOException
    {
        final int length = buffer.remaining();
        while (buffer.hasRemaining())
        {
            channel.write(buffer);
        }
        return length;
    }
}
