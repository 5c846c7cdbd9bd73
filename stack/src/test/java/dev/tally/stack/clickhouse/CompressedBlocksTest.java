package dev.tally.stack.clickhouse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.Random;

import org.junit.jupiter.api.Test;

import com.clickhouse.client.api.internal.CompressedBlockInputStream;
import com.clickhouse.client.api.internal.CompressedBlockOutputStream;

import net.jpountz.lz4.LZ4Factory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CompressedBlocksTest
{
    private final CompressedBlocks blocks = new CompressedBlocks();

    private static byte[] sample(final int length)
    {
        final byte[] data = new byte[length];
        final Random random = new Random(42);
        for (int i = 0; i < length; i++)
        {
            data[i] = (byte)(i % 7 == 0 ? random.nextInt() : i / 1000);
        }
        return data;
    }

    @Test
    void clientV2ReadsWhatTheServerFrames() throws IOException
    {
        final byte[] data = sample(3 * CompressedBlocks.BLOCK_SIZE + 12345);
        final byte[] framed = blocks.compress(data);
        try (CompressedBlockInputStream in = new CompressedBlockInputStream(new ByteArrayInputStream(framed),
            LZ4Factory.fastestInstance().fastDecompressor(), 8192))
        {
            assertThat(in.readAllBytes()).isEqualTo(data);
        }
    }

    @Test
    void serverReadsAndChecksWhatClientV2Frames() throws IOException
    {
        final byte[] data = sample(2 * CompressedBlocks.BLOCK_SIZE + 77);
        final ByteArrayOutputStream framed = new ByteArrayOutputStream();
        try (CompressedBlockOutputStream out = new CompressedBlockOutputStream.LZ4OutputStream(
            framed, LZ4Factory.fastestInstance().fastCompressor(), 65536))
        {
            out.write(data);
        }
        assertThat(blocks.decompress(framed.toByteArray())).isEqualTo(data);

        final byte[] corrupt = framed.toByteArray();
        corrupt[CompressedBlocks.CHECKSUM_LENGTH + CompressedBlocks.HEADER_LENGTH + 3] ^= 0x10;
        assertThatThrownBy(() -> blocks.decompress(corrupt)).hasMessageContaining("checksum");
    }

    @Test
    void emptyInputFramesToNothing() throws IOException
    {
        assertThat(blocks.compress(new byte[0])).isEmpty();
        assertThat(blocks.decompress(new byte[0])).isEmpty();
    }
}
