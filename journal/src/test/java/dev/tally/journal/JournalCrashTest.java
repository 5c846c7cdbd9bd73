package dev.tally.journal;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JournalCrashTest
{
    @TempDir
    Path dir;

    @Test
    void everyAppendTheKilledProcessReportedIsRecovered() throws Exception
    {
        final List<String> lines = runAndKill("loop", 400, 0);
        final Set<Long> prepared = new HashSet<>();
        final Set<Long> acked = new HashSet<>();
        long lastPrepared = -1;
        for (final String line : lines)
        {
            if (line.startsWith("P "))
            {
                lastPrepared = Long.parseLong(line.substring(2));
                prepared.add(lastPrepared);
            }
            else if (line.startsWith("A "))
            {
                acked.add(Long.parseLong(line.substring(2)));
            }
        }
        assertThat(prepared).hasSizeGreaterThanOrEqualTo(400);

        try (Journal journal = Journal.open(dir, JournalConfig.defaults()))
        {
            assertThat(journal.corruptEntries()).isZero();
            final List<PendingBatch> pending = journal.pending();
            final Set<Long> pendingIds = new HashSet<>();
            long previous = -1;
            for (final PendingBatch batch : pending)
            {
                final long id = batch.batchId();
                assertThat(id).isGreaterThan(previous);
                previous = id;
                pendingIds.add(id);
                assertThat(acked).doesNotContain(id);
                final int length = Payloads.sizeOf(id, CrashChild.MAX_PAYLOAD);
                assertThat(batch.payload()).isEqualTo(Payloads.of(id, length));
                assertThat(batch.token().toString()).isEqualTo(Payloads.token(id, 1, length / 65 + 1));
                // at most one batch the child finished but could not report
                assertThat(prepared.contains(id) || id == lastPrepared + 1).as("batch %d", id).isTrue();
            }
            for (final long id : prepared)
            {
                final boolean ackMayHaveLanded = id == lastPrepared && !acked.contains(id);
                if ((id & 1) == 1)
                {
                    assertThat(pendingIds).as("odd batch %d is never acknowledged", id).contains(id);
                }
                else if (!ackMayHaveLanded)
                {
                    assertThat(pendingIds).as("acknowledged batch %d", id).doesNotContain(id);
                }
            }

            // the journal goes on after the crash
            final UnsafeBuffer payload = Payloads.of(1_000_000, 100);
            journal.prepared(1_000_000, 1, "after", 1, new PayloadChecksum().crc32c(payload, 0, 100), payload, 0, 100);
        }
        try (Journal journal = Journal.open(dir, JournalConfig.defaults()))
        {
            assertThat(journal.pending().getLast().batchId()).isEqualTo(1_000_000L);
        }
    }

    @Test
    void aHalfWrittenEntryIsNotABatchAndTheJournalAppendsPastIt() throws Exception
    {
        final List<String> lines = runAndKill("torn", 0, 200);
        assertThat(lines).contains("P 1", "TORN");
        try (Journal journal = Journal.open(dir, JournalConfig.defaults()))
        {
            assertThat(journal.pending()).extracting(PendingBatch::batchId).containsExactly(1L);
            final UnsafeBuffer payload = Payloads.of(3, 4000);
            journal.prepared(3, 1, "t3", 1, new PayloadChecksum().crc32c(payload, 0, 4000), payload, 0, 4000);
        }
        try (Journal journal = Journal.open(dir, JournalConfig.defaults()))
        {
            final List<PendingBatch> pending = journal.pending();
            assertThat(pending).extracting(PendingBatch::batchId).containsExactly(1L, 3L);
            assertThat(pending.getLast().payload()).isEqualTo(Payloads.of(3, 4000));
        }
    }

    /**
     * Starts {@link CrashChild}, waits for {@code minPrepared} "P" lines (or for "TORN"), lets it run on for
     * {@code extraMillis}, kills it with SIGKILL and returns everything it printed.
     */
    private List<String> runAndKill(final String mode, final int minPrepared, final long extraMillis)
        throws IOException, InterruptedException
    {
        final String home = System.getProperty("tally.home");
        final List<String> command = new ArrayList<>(List.of(
            System.getProperty("java.home") + "/bin/java",
            "@" + home + "/jvm.options",
            Journal.CODEGEN_FLAG,
            "-Xmx512m",
            "-cp", System.getProperty("java.class.path"),
            CrashChild.class.getName(), mode, dir.toString()));
        final Process process = new ProcessBuilder(command)
            .redirectError(dir.resolve("child.err").toFile())
            .start();
        final List<String> lines = new CopyOnWriteArrayList<>();
        final Thread reader = Thread.ofPlatform().daemon().start(() -> readLines(process, lines));
        try
        {
            final long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
            while (!done(lines, mode, minPrepared) && System.nanoTime() < deadline && process.isAlive())
            {
                Thread.sleep(5);
            }
            assertThat(process.isAlive()).as("child still running").isTrue();
            assertThat(done(lines, mode, minPrepared)).as("child progress: %s", lines.size()).isTrue();
            Thread.sleep(extraMillis + (System.nanoTime() & 15));
        }
        finally
        {
            process.destroyForcibly();
            assertThat(process.waitFor(30, TimeUnit.SECONDS)).isTrue();
        }
        reader.join(10_000);
        assertThat(process.exitValue()).isEqualTo(137);
        return lines;
    }

    private static boolean done(final List<String> lines, final String mode, final int minPrepared)
    {
        if ("torn".equals(mode))
        {
            return lines.contains("TORN");
        }
        final int n = lines.size();
        return n > 0 && lines.stream().filter((l) -> l.startsWith("P ")).count() >= minPrepared;
    }

    private static void readLines(final Process process, final List<String> lines)
    {
        try (BufferedReader in = new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.US_ASCII)))
        {
            String line;
            while (null != (line = in.readLine()))
            {
                lines.add(line);
            }
        }
        catch (final IOException ignore)
        {
            // the pipe closes when the child dies
        }
    }
}
