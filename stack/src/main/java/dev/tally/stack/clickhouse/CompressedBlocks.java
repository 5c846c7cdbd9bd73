package dev.tally.stack.clickhouse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.Arrays;

import com.clickhouse.data.ClickHouseCityHash;

import net.jpountz.lz4.LZ4Compressor;
import net.jpountz.lz4.LZ4Factory;
import net.jpountz.lz4.LZ4SafeDecompressor;

/**
 * ClickHouse's compressed block framing, used by the HTTP interface for {@code compress=1} responses and
 * {@code decompress=1} request bodies.
 * <p>
 * A block is: CityHash128 v1.0.2 of the rest of the block (16 bytes, low word first), method byte, compressed size
 * including the 9-byte header (UInt32), uncompressed size (UInt32), payload. All integers little-endian.
 */
@SuppressWarnings("deprecation") // clickhouse-data deprecates ClickHouseCityHash, yet it is the v1.0.2 hash the format needs.
final class CompressedBlocks
{
    static final int CHECKSUM_LENGTH = 16;
    static final int HEADER_LENGTH = 9;
    static final byte METHOD_NONE = 0x02;
    static final byte METHOD_LZ4 = (byte)0x82;
    /** Uncompressed bytes per block, as ClickHouse's default {@code max_compress_block_size}. */
    static final int BLOCK_SIZE = 1 << 20;
    /** A block claiming more than this is corrupt rather than large. */
    private static final int MAX_BLOCK_SIZE = 1 << 30;

    private final LZ4Compressor compressor;
    private final LZ4SafeDecompressor decompressor;

    CompressedBlocks()
    {
        final LZ4Factory factory = LZ4Factory.fastestInstance();
        compressor = factory.fastCompressor();
        decompressor = factory.safeDecompressor();
    }

    /** Frames {@code data[offset, offset + length)} as LZ4 blocks of at most {@link #BLOCK_SIZE} bytes. */
    byte[] compress(final byte[] data, final int offset, final int length)
    {
        final int blocks = Math.max(1, (length + BLOCK_SIZE - 1) / BLOCK_SIZE);
        final int bound = blocks * (CHECKSUM_LENGTH + HEADER_LENGTH) + compressor.maxCompressedLength(length) +
            blocks * 16;
        final byte[] out = new byte[bound];
        final ByteBuffer header = ByteBuffer.wrap(out).order(ByteOrder.LITTLE_ENDIAN);
        int written = 0;
        int consumed = 0;
        while (consumed < length)
        {
            final int chunk = Math.min(BLOCK_SIZE, length - consumed);
            final int start = written;
            final int payload = start + CHECKSUM_LENGTH + HEADER_LENGTH;
            final int compressed = compressor.compress(data, offset + consumed, chunk, out, payload, out.length - payload);
            final int blockLength = HEADER_LENGTH + compressed;
            out[start + CHECKSUM_LENGTH] = METHOD_LZ4;
            header.putInt(start + CHECKSUM_LENGTH + 1, blockLength);
            header.putInt(start + CHECKSUM_LENGTH + 5, chunk);
            final long[] hash = ClickHouseCityHash.cityHash128(out, start + CHECKSUM_LENGTH, blockLength);
            header.putLong(start, hash[0]);
            header.putLong(start + 8, hash[1]);
            written = start + CHECKSUM_LENGTH + blockLength;
            consumed += chunk;
        }
        return Arrays.copyOf(out, written);
    }

    byte[] compress(final byte[] data)
    {
        return compress(data, 0, data.length);
    }

    /** Unframes blocks from {@code in} to {@code out} until {@code in} ends, checking every checksum. */
    void decompress(final InputStream in, final OutputStream out) throws IOException
    {
        final byte[] head = new byte[CHECKSUM_LENGTH + HEADER_LENGTH];
        final ByteBuffer headView = ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN);
        byte[] block = new byte[0];
        byte[] plain = new byte[0];
        while (readFullyOrEnd(in, head, 0, head.length))
        {
            final byte method = head[CHECKSUM_LENGTH];
            final int blockLength = headView.getInt(CHECKSUM_LENGTH + 1);
            final int plainLength = headView.getInt(CHECKSUM_LENGTH + 5);
            if (blockLength < HEADER_LENGTH || blockLength > MAX_BLOCK_SIZE || plainLength < 0 ||
                plainLength > MAX_BLOCK_SIZE)
            {
                throw new IOException("corrupt compressed block: sizes " + blockLength + "/" + plainLength);
            }
            if (block.length < blockLength)
            {
                block = new byte[blockLength];
            }
            System.arraycopy(head, CHECKSUM_LENGTH, block, 0, HEADER_LENGTH);
            if (!readFullyOrEnd(in, block, HEADER_LENGTH, blockLength - HEADER_LENGTH))
            {
                throw new EOFException("compressed block cut short");
            }
            final long[] hash = ClickHouseCityHash.cityHash128(block, 0, blockLength);
            if (hash[0] != headView.getLong(0) || hash[1] != headView.getLong(8))
            {
                throw new IOException("compressed block checksum mismatch");
            }
            if (method == METHOD_NONE)
            {
                out.write(block, HEADER_LENGTH, blockLength - HEADER_LENGTH);
            }
            else if (method == METHOD_LZ4)
            {
                if (plain.length < plainLength)
                {
                    plain = new byte[plainLength];
                }
                final int n = decompressor.decompress(block, HEADER_LENGTH, blockLength - HEADER_LENGTH, plain, 0,
                    plainLength);
                if (n != plainLength)
                {
                    throw new IOException("compressed block decodes to " + n + " bytes, header says " + plainLength);
                }
                out.write(plain, 0, plainLength);
            }
            else
            {
                throw new ClickHouseError(89, String.format("compression method 0x%02x is not supported by the local " +
                    "server; use LZ4 (client-v2: compressionMethod(LZ4))", method & 0xFF), "UNKNOWN_COMPRESSION_METHOD");
            }
        }
    }

    byte[] decompress(final byte[] framed) throws IOException
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(framed.length * 2);
        decompress(new ByteArrayInputStream(framed), out);
        return out.toByteArray();
    }

    /** Reads exactly {@code length} bytes; false when the stream ended before the first byte. */
    private static boolean readFullyOrEnd(final InputStream in, final byte[] b, final int offset, final int length)
        throws IOException
    {
        int done = 0;
        while (done < length)
        {
            final int n = in.read(b, offset + done, length - done);
            if (n < 0)
            {
                if (done == 0)
                {
                    return false;
                }
                throw new EOFException("compressed block cut short");
            }
            done += n;
        }
        return true;
    }
}
