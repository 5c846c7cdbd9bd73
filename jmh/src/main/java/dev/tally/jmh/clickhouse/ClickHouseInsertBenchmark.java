package dev.tally.jmh.clickhouse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.Comparator;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Warmup;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.insert.InsertResponse;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.data.ClickHouseFormat;

import dev.tally.stack.Ports;
import dev.tally.stack.ServiceProcess;
import dev.tally.stack.clickhouse.LocalClickHouse;

/**
 * Rows per second landed by 100k-row RowBinary inserts into a {@code ReplacingMergeTree} rollup table on the local
 * ClickHouse server, each insert carrying its own {@code insert_deduplication_token} as the engine's do.
 * The score is rows/s because one invocation is {@link #ROWS} operations.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 2, time = 5)
@Measurement(iterations = 3, time = 10)
@Fork(value = 1, jvmArgsAppend = { "--enable-native-access=ALL-UNNAMED", "-Xmx1g" })
public class ClickHouseInsertBenchmark
{
    static final int ROWS = 100_000;
    private static final long BUCKET_BASE = 1_767_225_600L;

    private Path dir;
    private ServiceProcess server;
    private Client client;
    private byte[] batch;
    private long token;

    @Setup(Level.Trial)
    public void start() throws Exception
    {
        dir = Files.createTempDirectory("tally-ch-bench-");
        final int port = Ports.freePort();
        server = LocalClickHouse.start("clickhouse-bench", port, dir.resolve("data"), dir.resolve("clickhouse.log"),
            LocalClickHouse.Options.defaults());
        client = new Client.Builder()
            .addEndpoint("http://127.0.0.1:" + port)
            .setUsername("default")
            .setPassword("")
            .setSocketTimeout(120, ChronoUnit.SECONDS)
            .build();
        client.execute("CREATE TABLE rollup (key LowCardinality(String), bucket DateTime, amount Int128, " +
            "version UInt64) ENGINE = ReplacingMergeTree(version) ORDER BY (key, bucket) " +
            "SETTINGS non_replicated_deduplication_window = 1000").get(60, TimeUnit.SECONDS).close();
        batch = encodeBatch();
    }

    @TearDown(Level.Trial)
    public void stop() throws IOException
    {
        if (client != null)
        {
            client.close();
        }
        if (server != null)
        {
            LocalClickHouse.stop(server);
        }
        try (Stream<Path> walk = Files.walk(dir))
        {
            for (final Path p : walk.sorted(Comparator.reverseOrder()).toList())
            {
                Files.deleteIfExists(p);
            }
        }
    }

    @Benchmark
    @OperationsPerInvocation(ROWS)
    public long insert100kRows() throws Exception
    {
        final InsertSettings settings = new InsertSettings().setDeduplicationToken("bench-" + (++token));
        try (InsertResponse response = client.insert("rollup", new ByteArrayInputStream(batch),
            ClickHouseFormat.RowBinary, settings).get(120, TimeUnit.SECONDS))
        {
            return response.getWrittenRows();
        }
    }

    /** 100k rows of (key, bucket, amount, version) in RowBinary: LEB128 lengths, little-endian integers. */
    static byte[] encodeBatch()
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream(ROWS * 48);
        final ByteBuffer scratch = ByteBuffer.allocate(36).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < ROWS; i++)
        {
            final byte[] key = ("tenant-" + (i % 512) + "/metric-" + i).getBytes(StandardCharsets.UTF_8);
            out.write(key.length);
            out.write(key, 0, key.length);
            scratch.clear();
            scratch.putInt((int)(BUCKET_BASE + (i % 60) * 60L));
            scratch.putLong(i * 1_000_003L);
            scratch.putLong(0L);
            scratch.putLong(1L);
            out.write(scratch.array(), 0, scratch.position());
        }
        return out.toByteArray();
    }
}
