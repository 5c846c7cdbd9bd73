package dev.tally.jmh.journal;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import net.openhft.chronicle.core.time.SetTimeProvider;
import net.openhft.chronicle.queue.rollcycles.TestRollCycles;
import org.agrona.ExpandableArrayBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import dev.tally.journal.Journal;
import dev.tally.journal.JournalConfig;
import dev.tally.journal.PayloadChecksum;
import dev.tally.journal.SyncPolicy;

/**
 * One batch through the journal as the writer thread does it: {@code prepared} with the payload, then
 * {@code acknowledged}; payloads of 64 KiB and 6.5 MiB (100k rows of 65 bytes), under {@link SyncPolicy#NONE} and
 * {@link SyncPolicy#SYNC}. The journal lives under {@code java.io.tmpdir} (a real disk for SYNC to mean anything).
 * Every 256 MiB the clock moves to a new roll cycle, a checkpoint is journaled and old cycles are pruned, so the
 * run keeps a bounded amount of disk; that cost is part of the measured time. MB/s = payload bytes / (us/op).
 * Run with {@code -prof gc} for B/op.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = {
    "--add-opens=java.base/java.lang=ALL-UNNAMED",
    "--add-opens=java.base/java.lang.reflect=ALL-UNNAMED",
    "--add-opens=java.base/java.nio=ALL-UNNAMED",
    "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-opens=java.base/java.io=ALL-UNNAMED",
    "--add-opens=java.base/java.util=ALL-UNNAMED",
    "--add-opens=java.base/jdk.internal.misc=ALL-UNNAMED",
    "--add-exports=java.base/jdk.internal.ref=ALL-UNNAMED",
    "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
    "--add-exports=java.base/sun.nio.ch=ALL-UNNAMED",
    "--add-exports=jdk.unsupported/sun.misc=ALL-UNNAMED",
    "--add-exports=java.base/jdk.internal.util=ALL-UNNAMED",
    Journal.CODEGEN_FLAG,
    "-Dchronicle.analytics.disable=true",
    "-Dagrona.disable.bounds.checks=true",
    "-Xms2g", "-Xmx2g" })
public class JournalBenchmark
{
    private static final long ROLL_EVERY_BYTES = 256L << 20;
    private static final String TOKEN = "minute:0123456789abcdef0123456789abcdef:100000";

    @Param({ "65536", "6815744" })
    int payloadBytes;

    @Param({ "NONE", "SYNC" })
    SyncPolicy sync;

    private final SetTimeProvider clock = new SetTimeProvider(1_767_225_600_000L);
    private final int[] partitions = { 0, 1, 2, 3, 4, 5 };
    private final long[] offsets = new long[6];
    private final ExpandableArrayBuffer payload = new ExpandableArrayBuffer(16);
    private Path dir;
    private Journal journal;
    private long checksum;
    private long batchId;
    private long bytesInCycle;

    @Setup(Level.Trial)
    public void setup() throws IOException
    {
        payload.checkLimit(payloadBytes);
        for (int i = 0; i < payloadBytes; i++)
        {
            payload.putByte(i, (byte)(i * 31 + (i >>> 9)));
        }
        checksum = new PayloadChecksum().crc32c(payload, 0, payloadBytes);
        dir = Files.createTempDirectory("tally-journal-bench");
        journal = Journal.open(dir, JournalConfig.defaults()
            .withSync(sync)
            .withRollCycle(TestRollCycles.TEST_SECONDLY)
            .withTimeProvider(clock));
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException
    {
        journal.close();
        try (Stream<Path> files = Files.walk(dir))
        {
            files.sorted(Comparator.reverseOrder()).forEach(JournalBenchmark::delete);
        }
    }

    @Benchmark
    public long preparedAndAcknowledged()
    {
        final long id = batchId++;
        journal.prepared(id, 1, TOKEN, payloadBytes / 65, checksum, payload, 0, payloadBytes);
        journal.acknowledged(id);
        bytesInCycle += payloadBytes;
        if (bytesInCycle >= ROLL_EVERY_BYTES)
        {
            bytesInCycle = 0;
            clock.advanceMillis(1000);
            offsets[(int)(id % offsets.length)] = id;
            journal.checkpointCommitted(id, partitions, offsets, offsets.length);
            journal.prune();
        }
        return id;
    }

    private static void delete(final Path path)
    {
        try
        {
            Files.delete(path);
        }
        catch (final IOException ex)
        {
            throw new UncheckedIOException(ex);
        }
    }
}
