package dev.tally.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;

import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalPruneTest
{
    private static final long START_MS = 1_767_225_600_000L;

    private final SetTimeProvider clock = new SetTimeProvider(START_MS);
    private final JournalConfig config = JournalConfig.defaults()
        .withRollCycle(TestRollCycles.TEST_SECONDLY)
        .withTimeProvider(clock);
    private final PayloadChecksum crc = new PayloadChecksum();

    @TempDir
    Path dir;

    @Test
    void pruneDeletesOnlyCyclesBeforeTheCheckpointAndTheOldestPendingBatch() throws IOException
    {
        try (Journal journal = Journal.open(dir, config))
        {
            cycle(0);
            prepare(journal, 1);
            journal.acknowledged(1);
            prepare(journal, 2);
            journal.acknowledged(2);
            cycle(1);
            prepare(journal, 3);
            journal.acknowledged(3);
            prepare(journal, 4);
            cycle(2);
            prepare(journal, 5);
            journal.acknowledged(5);
            journal.checkpointCommitted(1, new int[] {0}, new long[] {500}, 1);
            assertThat(cycleFiles()).hasSize(3);

            // batch 4 (cycle 1) is pending: only cycle 0 may go
            assertThat(journal.prune()).isEqualTo(1);
            assertThat(cycleFiles()).containsExactly(name(1), name(2));
            assertThat(journal.pending()).extracting(PendingBatch::batchId).containsExactly(4L);

            cycle(3);
            journal.acknowledged(4);
            prepare(journal, 6);
            journal.acknowledged(6);
            // nothing pending, but the checkpoint is in cycle 2: cycle 1 goes, cycle 2 stays
            assertThat(journal.prune()).isEqualTo(1);
            assertThat(cycleFiles()).containsExactly(name(2), name(3));

            cycle(4);
            journal.checkpointCommitted(2, new int[] {0}, new long[] {900}, 1);
            prepare(journal, 7);
            assertThat(journal.prune()).isEqualTo(2);
            assertThat(cycleFiles()).containsExactly(name(4));

            // a clock past the last file: the cycle holding the checkpoint and batch 7 stays
            cycle(6);
            assertThat(journal.prune()).isZero();
            assertThat(cycleFiles()).containsExactly(name(4));
            assertThat(journal.pending()).extracting(PendingBatch::batchId).containsExactly(7L);
        }

        try (Journal journal = Journal.open(dir, config))
        {
            assertThat(journal.lastCheckpointId()).isEqualTo(2);
            final List<PendingBatch> pending = journal.pending();
            assertThat(pending).extracting(PendingBatch::batchId).containsExactly(7L);
            assertThat(pending.getFirst().payload()).isEqualTo(Payloads.of(7, 3000));
            // the scan started at the checkpoint: checkpoint 2 and prepared 7
            assertThat(journal.entriesScannedOnOpen()).isEqualTo(2);
            cycle(7);
            journal.acknowledged(7);
            prepare(journal, 8);
            journal.checkpointCommitted(3, new int[] {0}, new long[] {1000}, 1);
            assertThat(journal.prune()).isEqualTo(1);
            assertThat(cycleFiles()).containsExactly(name(7));
            assertThat(journal.pending()).extracting(PendingBatch::batchId).containsExactly(8L);
        }
    }

    @Test
    void withoutACheckpointNothingIsPruned() throws IOException
    {
        try (Journal journal = Journal.open(dir, config))
        {
            for (int c = 0; c < 4; c++)
            {
                cycle(c);
                prepare(journal, c);
                journal.acknowledged(c);
            }
            cycle(5);
            assertThat(journal.prune()).isZero();
            assertThat(cycleFiles()).hasSize(4);
        }
    }

    @Test
    void recoveryStartsAtTheOldestPendingBatchNotAtTheFirstFile()
    {
        try (Journal journal = Journal.open(dir, config))
        {
            cycle(0);
            for (int id = 0; id < 50; id++)
            {
                prepare(journal, id);
                journal.acknowledged(id);
            }
            prepare(journal, 50);
            for (int id = 51; id < 60; id++)
            {
                prepare(journal, id);
                journal.acknowledged(id);
            }
            journal.checkpointCommitted(9, new int[] {0}, new long[] {60}, 1);
        }
        try (Journal journal = Journal.open(dir, config))
        {
            // from prepared 50: 1 + 9 x 2 + the checkpoint, not the 100 entries before it
            assertThat(journal.entriesScannedOnOpen()).isEqualTo(20);
            assertThat(journal.pending()).extracting(PendingBatch::batchId).containsExactly(50L);
            assertThat(journal.lastCheckpointId()).isEqualTo(9);
        }
    }

    private void cycle(final int n)
    {
        clock.currentTimeMillis(START_MS + n * 1000L);
    }

    private static String name(final int n)
    {
        return "20260101-0000" + String.format("%02d", n) + "T.cq4";
    }

    private List<String> cycleFiles() throws IOException
    {
        try (Stream<Path> files = Files.list(dir))
        {
            return files.map((p) -> p.getFileName().toString()).filter((n) -> n.endsWith(".cq4")).sorted().toList();
        }
    }

    private void prepare(final Journal journal, final long id)
    {
        final UnsafeBuffer payload = Payloads.of(id, 3000);
        journal.prepared(id, 1, Payloads.token(id, 1, 40), 40, crc.crc32c(payload, 0, 3000), payload, 0, 3000);
    }
}
