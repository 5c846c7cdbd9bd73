package dev.tally.journal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import net.openhft.chronicle.bytes.MethodReader;
import net.openhft.chronicle.queue.ExcerptTailer;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalRoundTripTest
{
    private final PayloadChecksum crc = new PayloadChecksum();

    @TempDir
    Path dir;

    @Test
    void eachMessageTypeRoundTripsThroughTheMethodReader()
    {
        final UnsafeBuffer payload = Payloads.of(7, 1000);
        try (Journal journal = Journal.open(dir, JournalConfig.defaults()))
        {
            journal.prepared(7, 2, "t2:abc:10", 10, crc.crc32c(payload, 0, 1000), payload, 0, 1000);
            journal.acknowledged(7);
            journal.checkpointCommitted(3, new int[] {0, 1, 5}, new long[] {100, 200, 300}, 3);
        }

        final List<String> seen = new ArrayList<>();
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(dir).build();
            ExcerptTailer tailer = queue.createTailer())
        {
            final MethodReader reader = tailer.methodReader(new JournalEvents()
            {
                public void prepared(final PreparedEntry entry)
                {
                    final byte[] bytes = new byte[entry.payloadLength()];
                    entry.copyPayloadTo(bytes);
                    seen.add("prepared " + entry.batchId() + " " + entry.table() + " " + entry.token() + " " +
                        entry.rows() + " " + entry.checksum() + " " + new UnsafeBuffer(bytes).equals(payload));
                }

                public void acknowledged(final long batchId)
                {
                    seen.add("acknowledged " + batchId);
                }

                public void checkpointCommitted(final CheckpointEntry entry)
                {
                    final StringBuilder sb = new StringBuilder("checkpoint " + entry.checkpointId());
                    for (int i = 0; i < entry.count(); i++)
                    {
                        sb.append(' ').append(entry.partition(i)).append('=').append(entry.offset(i));
                    }
                    seen.add(sb.toString());
                }
            });
            while (reader.readOne())
            {
                assertThat(seen).isNotEmpty();
            }
        }
        assertThat(seen).containsExactly(
            "prepared 7 2 t2:abc:10 10 " + crc.crc32c(payload, 0, 1000) + " true",
            "acknowledged 7",
            "checkpoint 3 0=100 1=200 5=300");
    }

    @Test
    void pendingAreThePreparedNotAcknowledgedInOrderAndByteIdentical()
    {
        try (Journal journal = Journal.open(dir, JournalConfig.defaults()))
        {
            for (long id = 10; id < 20; id++)
            {
                prepare(journal, id, Payloads.sizeOf(id, 50_000));
                if (id % 3 == 0)
                {
                    journal.acknowledged(id);
                }
            }
            assertThat(journal.pendingCount()).isEqualTo(7);
            final List<PendingBatch> pending = journal.pending();
            assertThat(pending).extracting(PendingBatch::batchId).containsExactly(10L, 11L, 13L, 14L, 16L, 17L, 19L);
            for (final PendingBatch batch : pending)
            {
                assertPending(batch);
            }
        }
    }

    @Test
    void acknowledgedBatchesAreNotPendingAndAnUnknownAckIsHarmless()
    {
        try (Journal journal = Journal.open(dir, JournalConfig.defaults()))
        {
            prepare(journal, 1, 100);
            prepare(journal, 2, 100);
            journal.acknowledged(1);
            journal.acknowledged(99);
            journal.acknowledged(2);
            assertThat(journal.pending()).isEmpty();
            prepare(journal, 3, 100);
            assertThat(journal.pending()).extracting(PendingBatch::batchId).containsExactly(3L);
        }
        try (Journal journal = Journal.open(dir, JournalConfig.defaults()))
        {
            assertThat(journal.pending()).extracting(PendingBatch::batchId).containsExactly(3L);
        }
    }

    @Test
    void pendingAndCheckpointSurviveARestart()
    {
        try (Journal journal = Journal.open(dir, JournalConfig.defaults()))
        {
            assertThat(journal.lastCheckpointId()).isEqualTo(Journal.NO_CHECKPOINT);
            assertThat(journal.lastCheckpoint()).isNull();
            prepare(journal, 1, 5000);
            journal.checkpointCommitted(41, new int[] {0, 1}, new long[] {10, 11}, 2);
            prepare(journal, 2, 6000);
            journal.acknowledged(1);
            journal.checkpointCommitted(42, new int[] {0, 1, 2}, new long[] {20, 21, 22}, 3);
            prepare(journal, 3, 7000);
        }
        try (Journal journal = Journal.open(dir, JournalConfig.defaults()))
        {
            assertThat(journal.lastCheckpointId()).isEqualTo(42);
            assertThat(journal.lastCheckpoint())
                .isEqualTo(new Checkpoint(42, new int[] {0, 1, 2}, new long[] {20, 21, 22}));
            final List<PendingBatch> pending = journal.pending();
            assertThat(pending).extracting(PendingBatch::batchId).containsExactly(2L, 3L);
            pending.forEach(this::assertPending);
            journal.acknowledged(2);
        }
        try (Journal journal = Journal.open(dir, JournalConfig.defaults()))
        {
            assertThat(journal.pending()).extracting(PendingBatch::batchId).containsExactly(3L);
        }
    }

    @Test
    void a20MbPayloadFromAnOffHeapBufferRoundTripsAcrossARestart()
    {
        final int length = 20 << 20;
        final int offset = 123;
        final UnsafeBuffer direct = new UnsafeBuffer(ByteBuffer.allocateDirect(length + 1000));
        Payloads.fill(direct, offset, 5, length);
        try (Journal journal = Journal.open(dir, JournalConfig.defaults()))
        {
            journal.prepared(5, 1, "big", 300_000, crc.crc32c(direct, offset, length), direct, offset, length);
        }
        try (Journal journal = Journal.open(dir, JournalConfig.defaults()))
        {
            final int[] calls = new int[1];
            assertThat(journal.replayPending((batch) ->
            {
                calls[0]++;
                assertThat(batch.payload().capacity()).isEqualTo(length);
                assertThat(batch.payload()).isEqualTo(Payloads.of(5, length));
            })).isEqualTo(1);
            assertThat(calls[0]).isEqualTo(1);
        }
    }

    @Test
    void theLargestPayloadFitsAndALargerOneIsRefused()
    {
        final int max = JournalConfig.DEFAULT_MAX_PAYLOAD_BYTES;
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[max + 1]);
        payload.setMemory(0, max + 1, (byte)0x5A);
        try (Journal journal = Journal.open(dir, JournalConfig.defaults()))
        {
            assertThatThrownBy(() -> journal.prepared(1, 1, "x", 1, 0, payload, 0, max + 1))
                .isInstanceOf(IllegalArgumentException.class);
            assertThatThrownBy(() -> journal.prepared(1, 1, "x".repeat(Journal.MAX_TOKEN_LENGTH + 1), 1, 0, payload, 0, 1))
                .isInstanceOf(IllegalArgumentException.class);
            journal.prepared(2, 1, "max", 1, crc.crc32c(payload, 0, max), payload, 0, max);
        }
        try (Journal journal = Journal.open(dir, JournalConfig.defaults()))
        {
            final List<PendingBatch> pending = journal.pending();
            assertThat(pending).extracting(PendingBatch::batchId).containsExactly(2L);
            assertThat(pending.getFirst().payload().capacity()).isEqualTo(max);
            assertThat(pending.getFirst().payload().getByte(max - 1)).isEqualTo((byte)0x5A);
        }
    }

    @Test
    void aSecondOpenOfTheSameDirectoryIsRefusedUntilTheFirstCloses()
    {
        final Journal first = Journal.open(dir, JournalConfig.defaults());
        assertThatThrownBy(() -> Journal.open(dir, JournalConfig.defaults()))
            .isInstanceOf(IllegalStateException.class).hasMessageContaining("open elsewhere");
        first.close();
        first.close();
        assertThatThrownBy(() -> first.acknowledged(1)).isInstanceOf(IllegalStateException.class);
        try (Journal second = Journal.open(dir, JournalConfig.defaults()))
        {
            assertThat(second.pendingCount()).isZero();
        }
    }

    private void prepare(final Journal journal, final long id, final int length)
    {
        final UnsafeBuffer payload = Payloads.of(id, length);
        final int rows = length / 65 + 1;
        journal.prepared(id, (int)(id % 4), Payloads.token(id, (int)(id % 4), rows), rows,
            crc.crc32c(payload, 0, length), payload, 0, length);
    }

    private void assertPending(final PendingBatch batch)
    {
        final long id = batch.batchId();
        final int length = batch.payload().capacity();
        assertThat(batch.payload()).isEqualTo(Payloads.of(id, length));
        assertThat(batch.checksum()).isEqualTo(crc.crc32c(batch.payload(), 0, length));
        assertThat(batch.table()).isEqualTo((int)(id % 4));
        assertThat(batch.rows()).isEqualTo(length / 65 + 1);
        assertThat(batch.token().toString()).isEqualTo(Payloads.token(id, (int)(id % 4), length / 65 + 1));
    }
}
