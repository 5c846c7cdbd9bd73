package dev.tally.stack.clickhouse;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.zip.GZIPInputStream;

/** Reads one regular file out of a gzipped ustar archive, such as the tarball {@code npm pack} writes. */
final class TarGz
{
    private static final int BLOCK = 512;

    private TarGz()
    {
    }

    /** Copies entry {@code name} of {@code archive} to {@code target}; false when the archive has no such entry. */
    static boolean extract(final Path archive, final String name, final Path target) throws IOException
    {
        try (InputStream in = new GZIPInputStream(new BufferedInputStream(Files.newInputStream(archive), 1 << 16)))
        {
            final byte[] header = new byte[BLOCK];
            while (readBlock(in, header))
            {
                if (header[0] == 0)
                {
                    return false;
                }
                final String entry = entryName(header);
                final long size = size(header);
                final byte type = header[156];
                final long padded = (size + BLOCK - 1) / BLOCK * BLOCK;
                if ((type == '0' || type == 0) && entry.equals(name))
                {
                    try (OutputStream out = Files.newOutputStream(target))
                    {
                        copy(in, out, size);
                    }
                    return true;
                }
                skip(in, padded);
            }
            return false;
        }
    }

    private static String entryName(final byte[] header)
    {
        final String base = field(header, 0, 100);
        final boolean ustar = field(header, 257, 6).startsWith("ustar");
        final String prefix = ustar ? field(header, 345, 155) : "";
        return prefix.isEmpty() ? base : prefix + "/" + base;
    }

    private static long size(final byte[] header)
    {
        if ((header[124] & 0x80) != 0)
        {
            // Base-256: the remaining bytes of the field are a big-endian binary number.
            long value = 0;
            for (int i = 125; i < 136; i++)
            {
                value = (value << 8) | (header[i] & 0xFF);
            }
            return value;
        }
        final String octal = field(header, 124, 12).strip();
        return octal.isEmpty() ? 0 : Long.parseLong(octal, 8);
    }

    private static String field(final byte[] header, final int offset, final int length)
    {
        int end = offset;
        while (end < offset + length && header[end] != 0)
        {
            end++;
        }
        return new String(header, offset, end - offset, StandardCharsets.UTF_8);
    }

    private static boolean readBlock(final InputStream in, final byte[] block) throws IOException
    {
        final int n = in.readNBytes(block, 0, BLOCK);
        if (n == 0)
        {
            return false;
        }
        if (n < BLOCK)
        {
            throw new EOFException("truncated tar header");
        }
        return true;
    }

    private static void copy(final InputStream in, final OutputStream out, final long size) throws IOException
    {
        final byte[] buffer = new byte[1 << 16];
        long left = size;
        while (left > 0)
        {
            final int n = in.read(buffer, 0, (int)Math.min(buffer.length, left));
            if (n < 0)
            {
                throw new EOFException("tar entry cut short");
            }
            out.write(buffer, 0, n);
            left -= n;
        }
    }

    private static void skip(final InputStream in, final long count) throws IOException
    {
        in.skipNBytes(count);
    }
}
