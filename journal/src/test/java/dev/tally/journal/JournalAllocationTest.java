package dev.tally.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.ByteBuffer;
import java.nio.file.Path;

import net.openhft.chronicle.core.time.SetTimeProvider;
import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalAllocationTest
{
    private static final int WARM_UP = 20_000;
    private static final int ROUNDS = 5;
    private static final int PER_ROUND = 10_000;
    private static final String TOKEN = "minute:0123456789abcdef0123456789abcdef:100";

    private final com.sun.management.ThreadMXBean threads =
        (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();

    @TempDir
    Path dir;

    @Test
    void appendingPreparedAckAndCheckpointAllocatesNothingInSteadyState()
    {
        final UnsafeBuffer heap = Payloads.of(1, 2048);
        final long heapCrc = new PayloadChecksum().crc32c(heap, 0, 2048);
        final UnsafeBuffer direct = new UnsafeBuffer(ByteBuffer.allocateDirect(2048));
        direct.putBytes(0, heap, 0, 2048);
        final int[] partitions = {0, 1, 2, 3};
        final long[] offsets = new long[4];
        // a clock that never moves: no roll to a new cycle file inside the measurement
        final JournalConfig config = JournalConfig.defaults().withTimeProvider(new SetTimeProvider(1_767_225_600_000L));
        try (Journal journal = Journal.open(dir, config))
        {
            run(journal, 0, WARM_UP, heap, direct, heapCrc, partitions, offsets);
            final long tid = Thread.currentThread().threadId();
            long fewest = Long.MAX_VALUE;
            for (int round = 0; round < ROUNDS; round++)
            {
                final long before = threads.getThreadAllocatedBytes(tid);
                run(journal, WARM_UP + round * PER_ROUND, PER_ROUND, heap, direct, heapCrc, partitions, offsets);
                fewest = Math.min(fewest, threads.getThreadAllocatedBytes(tid) - before);
            }
            System.out.println("fewest bytes allocated in a round of " + PER_ROUND * 2 + " appends: " + fewest);
            assertThat(journal.pendingCount()).isZero();
            assertThat(journal.lastCheckpointId()).isEqualTo((WARM_UP + ROUNDS * PER_ROUND) / 100 - 1);
            // one object per append would be >= 20,000 x 16 bytes a round; what remains is the mapped file growing
            // by a chunk now and then (a few hundred bytes), and the best of the rounds leaves out one-off JIT noise
            assertThat(fewest).as("bytes allocated by %d appends", PER_ROUND * 2).isLessThan(2 * 1024);
        }
    }

    private static void run(
        final Journal journal,
        final int from,
        final int count,
        final DirectBuffer heap,
        final DirectBuffer direct,
        final long crc,
        final int[] partitions,
        final long[] offsets)
    {
        for (int id = from; id < from + count; id++)
        {
            journal.prepared(id, id & 3, TOKEN, 31, crc, (id & 1) == 0 ? heap : direct, 0, 2048);
            journal.acknowledged(id);
            if (id % 100 == 99)
            {
                offsets[id & 3] = id;
                journal.checkpointCommitted(id / 100, partitions, offsets, 4);
            }
        }
    }
}
