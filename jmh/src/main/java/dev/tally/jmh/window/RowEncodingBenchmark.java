package dev.tally.jmh.window;

import java.nio.ByteBuffer;
import java.util.SplittableRandom;
import java.util.concurrent.TimeUnit;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import dev.tally.codec.Country;
import dev.tally.engine.sink.RollupRowEncoder;

/**
 * {@link RollupRowEncoder#encode} of one rollup row into a reusable buffer, written back to back and starting over
 * at the front when full. The rows' fields come from primitive arrays filled at set-up so nothing is constant.
 * {@code array} is the engine's batch buffer type ({@link ExpandableArrayBuffer}); {@code direct} is an
 * {@link UnsafeBuffer} over off-heap memory. One operation is one row.
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 2, time = 3)
@Measurement(iterations = 3, time = 3)
@Fork(value = 1, jvmArgsAppend = { "--add-exports=java.base/jdk.internal.misc=ALL-UNNAMED",
    "-Dagrona.disable.bounds.checks=true" })
public class RowEncodingBenchmark
{
    static final int ROWS = 1024;
    private static final int BUFFER_BYTES = 1 << 16;

    @Param({ "array", "direct" })
    public String buffer;

    private final long[] windowStart = new long[ROWS];
    private final long[] account = new long[ROWS];
    private final int[] country = new int[ROWS];
    private final int[] partition = new int[ROWS];
    private final long[] count = new long[ROWS];
    private final long[] sumLo = new long[ROWS];
    private final long[] sumHi = new long[ROWS];
    private final long[] version = new long[ROWS];
    private MutableDirectBuffer out;
    private int lastRowAt;
    private int position;
    private long batchId;

    @Setup
    public void setup()
    {
        out = "direct".equals(buffer) ?
            new UnsafeBuffer(ByteBuffer.allocateDirect(BUFFER_BYTES)) : new ExpandableArrayBuffer(BUFFER_BYTES);
        lastRowAt = BUFFER_BYTES - RollupRowEncoder.ROW_LENGTH;
        final SplittableRandom random = new SplittableRandom(EventSample.SEED);
        final int[] countries = { Country.of("US"), Country.of("DE"), Country.of("JP"), Country.of("BR") };
        for (int i = 0; i < ROWS; i++)
        {
            windowStart[i] = 1_767_225_600_000L + 60_000L * random.nextInt(60);
            account[i] = 1 + random.nextLong(10_000_000L);
            country[i] = countries[random.nextInt(countries.length)];
            partition[i] = random.nextInt(EventSample.PARTITIONS);
            count[i] = 1 + random.nextInt(1000);
            sumLo[i] = random.nextLong();
            sumHi[i] = sumLo[i] >> 63;
            version[i] = 1 + random.nextLong(1L << 40);
        }
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public int encodeRows()
    {
        final MutableDirectBuffer out = this.out;
        final long batch = ++batchId;
        int p = position;
        for (int i = 0; i < ROWS; i++)
        {
            if (p > lastRowAt)
            {
                p = 0;
            }
            p = RollupRowEncoder.encode(out, p, windowStart[i], account[i], country[i], partition[i], count[i],
                sumLo[i], sumHi[i], version[i], batch, 1_767_225_660_000L);
        }
        position = p;
        return p;
    }
}
