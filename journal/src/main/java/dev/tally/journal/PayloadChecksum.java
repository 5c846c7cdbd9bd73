package dev.tally.journal;

import java.util.zip.CRC32C;

import org.agrona.BufferUtil;
import org.agrona.DirectBuffer;

/**
 * The checksum {@link Journal#prepared} expects: CRC32C of the payload bytes, as an unsigned 32-bit value in a long.
 * An instance is reusable and allocation-free; not thread-safe.
 */
public final class PayloadChecksum
{
    private static final int CHUNK = 8 * 1024;

    private final CRC32C crc = new CRC32C();
    private final byte[] chunk = new byte[CHUNK];

    /**
     * @param buffer holds the payload.
     * @param offset of the first payload byte.
     * @param length of the payload.
     * @return CRC32C of bytes [offset, offset + length) of {@code buffer}.
     */
    public long crc32c(final DirectBuffer buffer, final int offset, final int length)
    {
        buffer.boundsCheck(offset, length);
        crc.reset();
        final byte[] array = buffer.byteArray();
        if (null != array)
        {
            crc.update(array, (int)(buffer.addressOffset() - BufferUtil.ARRAY_BASE_OFFSET) + offset, length);
        }
        else
        {
            for (int done = 0; done < length; done += CHUNK)
            {
                final int n = Math.min(CHUNK, length - done);
                buffer.getBytes(offset + done, chunk, 0, n);
                crc.update(chunk, 0, n);
            }
        }
        return crc.getValue();
    }
}
