package dev.tally.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.stream.Stream;

import net.openhft.chronicle.queue.impl.single.SingleChronicleQueue;
import net.openhft.chronicle.queue.impl.single.SingleChronicleQueueBuilder;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalIntegrityTest
{
    private final PayloadChecksum crc = new PayloadChecksum();

    @TempDir
    Path dir;

    @Test
    void aPreparedEntryWhosePayloadNoLongerMatchesItsChecksumIsNotPending() throws IOException
    {
        try (Journal journal = Journal.open(dir, JournalConfig.defaults()))
        {
            prepare(journal, 1, 10_000);
            prepare(journal, 2, 10_000);
        }
        flipByteInside(Payloads.of(1, 10_000), 5_000);
        try (Journal journal = Journal.open(dir, JournalConfig.defaults()))
        {
            assertThat(journal.corruptEntries()).isEqualTo(1);
            assertThat(journal.pendingCount()).isEqualTo(1);
            assertThat(journal.pending()).extracting(PendingBatch::batchId).containsExactly(2L);
        }
    }

    @Test
    void replayReportsAnEntryDamagedAfterOpenThroughOnCorrupt() throws IOException
    {
        try (Journal journal = Journal.open(dir, JournalConfig.defaults()))
        {
            prepare(journal, 1, 10_000);
            prepare(journal, 2, 10_000);
            flipByteInside(Payloads.of(2, 10_000), 10);
            final long[] corrupt = {-1};
            final int delivered = journal.replayPending(new PendingBatchHandler()
            {
                public void onPending(final PendingBatch batch)
                {
                    assertThat(batch.batchId()).isEqualTo(1L);
                }

                public void onCorrupt(final long batchId, final long journalIndex)
                {
                    corrupt[0] = batchId;
                }
            });
            assertThat(delivered).isEqualTo(1);
            assertThat(corrupt[0]).isEqualTo(2L);
            assertThat(journal.pendingCount()).isEqualTo(1);
        }
    }

    @Test
    void syncForcesEveryEntryAndNoneForcesNothing()
    {
        try (Journal journal = Journal.open(dir, JournalConfig.defaults().withSync(SyncPolicy.SYNC)))
        {
            prepare(journal, 1, 70_000);
            assertThat(lastIndexSynced()).isEqualTo(journal.pending().getFirst().journalIndex());
            journal.acknowledged(1);
            assertThat(journal.pendingCount()).isZero();
            assertThat(lastIndexSynced()).isEqualTo(lastIndex());
        }
        final Path other = dir.resolve("none");
        try (Journal journal = Journal.open(other, JournalConfig.defaults()))
        {
            prepare(journal, 1, 70_000);
            journal.acknowledged(1);
            try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(other).build())
            {
                assertThat(queue.lastIndexMSynced()).isNotEqualTo(queue.lastIndex());
            }
        }
    }

    @Test
    void aWriterThreadAndACheckpointThreadShareTheJournal() throws InterruptedException
    {
        final AtomicReference<Throwable> failure = new AtomicReference<>();
        try (Journal journal = Journal.open(dir, JournalConfig.defaults()))
        {
            final Thread writer = Thread.ofPlatform().start(() ->
            {
                try
                {
                    for (long id = 0; id < 3000; id++)
                    {
                        prepare(journal, id, 500);
                        if (id % 10 != 0)
                        {
                            journal.acknowledged(id);
                        }
                    }
                }
                catch (final Throwable t)
                {
                    failure.set(t);
                }
            });
            final Thread checkpointer = Thread.ofPlatform().start(() ->
            {
                try
                {
                    for (int c = 1; c <= 500; c++)
                    {
                        journal.checkpointCommitted(c, new int[] {0, 1}, new long[] {c, 2L * c}, 2);
                    }
                }
                catch (final Throwable t)
                {
                    failure.set(t);
                }
            });
            writer.join();
            checkpointer.join();
            assertThat(failure.get()).isNull();
        }
        try (Journal journal = Journal.open(dir, JournalConfig.defaults()))
        {
            assertThat(journal.lastCheckpoint()).isEqualTo(new Checkpoint(500, new int[] {0, 1}, new long[] {500, 1000}));
            final List<PendingBatch> pending = journal.pending();
            assertThat(pending).hasSize(300);
            for (int i = 0; i < pending.size(); i++)
            {
                assertThat(pending.get(i).batchId()).isEqualTo(10L * i);
                assertThat(pending.get(i).payload()).isEqualTo(Payloads.of(10L * i, 500));
            }
        }
    }

    private long lastIndexSynced()
    {
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(dir).build())
        {
            return queue.lastIndexMSynced();
        }
    }

    private long lastIndex()
    {
        try (SingleChronicleQueue queue = SingleChronicleQueueBuilder.binary(dir).build())
        {
            return queue.lastIndex();
        }
    }

    private void prepare(final Journal journal, final long id, final int length)
    {
        final UnsafeBuffer payload = Payloads.of(id, length);
        journal.prepared(id, 1, Payloads.token(id, 1, 9), 9, crc.crc32c(payload, 0, length), payload, 0, length);
    }

    /** Finds the 64 bytes of {@code payload} from {@code at} in the journal's cycle file and flips one of them. */
    private void flipByteInside(final UnsafeBuffer payload, final int at) throws IOException
    {
        final Path file;
        try (Stream<Path> files = Files.list(dir))
        {
            file = files.filter((p) -> p.toString().endsWith(".cq4")).findFirst().orElseThrow();
        }
        final byte[] needle = new byte[64];
        payload.getBytes(at, needle);
        try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "rw"))
        {
            final byte[] content = new byte[(int)Math.min(raf.length(), 1 << 20)];
            raf.readFully(content);
            final int found = indexOf(content, needle);
            assertThat(found).as("payload bytes in %s", file).isNotNegative();
            raf.seek(found + 32);
            raf.write(content[found + 32] ^ 0x01);
        }
    }

    private static int indexOf(final byte[] haystack, final byte[] needle)
    {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++)
        {
            for (int j = 0; j < needle.length; j++)
            {
                if (haystack[i + j] != needle[j])
                {
                    continue outer;
                }
            }
            return i;
        }
        return -1;
    }
}
