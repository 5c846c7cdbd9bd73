package dev.tally.verify.eos;

import java.io.IOException;
import java.nio.file.Path;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicReference;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.query.GenericRecord;
import dev.tally.engine.ingest.CommitMetadata;
import dev.tally.gen.GenMain;
import dev.tally.stack.JvmProcess;
import dev.tally.stack.Pids;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.AdminClientConfig;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./tally backfill} beside a running live engine. The topic holds 80 minutes of event time, from 5 minutes
 * before a past UTC hour H to 15 minutes after it ends; the live engine has processed it and keeps running while more
 * events arrive. The first test corrupts rows of the hour (a wrong row with a higher live version, in both tables,
 * and a key that should not exist), backfills the hour and checks verify is exact again, every row of the hour is
 * of the backfill's generation, no backfill row lies outside the hour, and the rows outside the hour are
 * byte-identical before and after. The second kills backfills halfway: the rows they leave are whole windows (verify
 * stays exact), and a resumed one and a rerun one both end exact.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class BackfillTest
{
    private static final String ID = "backfill";
    private static final String TABLES = "rollup_minute rollup_hour";
    private static final long HOUR = 3_600_000;
    private static final int PARTITIONS = 4;
    private static final int RATE = 50;
    private static final int EVENTS = 80 * 60 * RATE;
    private static final long H = Instant.now().truncatedTo(ChronoUnit.HOURS).toEpochMilli() - 2 * HOUR;
    private static final long START = H - 5 * 60_000;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;
    private static EosStack stack;
    private static Process live;
    private static Client client;

    @BeforeAll
    static void start() throws Exception
    {
        stack = EosStack.start(dir);
        client = new Client.Builder().addEndpoint(stack.clickhouse.endpoint()).setUsername("default").setPassword("")
            .setSocketTimeout(60, ChronoUnit.SECONDS).build();
        assertThat(gen("--rate", "0", "--time-rate", Integer.toString(RATE), "--events", Integer.toString(EVENTS)))
            .as("gen exit code").isZero();
        live = stack.engine(ID, ID, "live", "live");
        awaitLiveWatermark(START + EVENTS / RATE * 1000L - 60_000);
    }

    @AfterAll
    static void stop()
    {
        if (live != null)
        {
            Pids.kill9(live.pid());
        }
        if (client != null)
        {
            client.close();
        }
        if (stack != null)
        {
            stack.close();
        }
    }

    @Test
    @Order(1)
    void backfillRepairsCorruptedRowsOfTheHourAndLeavesEverythingElseAlone() throws Exception
    {
        corrupt();
        final EosStack.Verdict corrupted = stack.verify(ID, ID, "--wait", "--wait-timeout", "2m");
        assertThat(corrupted.exit()).as("verify sees the corruption: " + corrupted.report()).isEqualTo(3);
        assertThat(corrupted.report()).contains("MISMATCH");

        final long closedBefore = START + EVENTS / RATE * 1000L - 5 * 60_000; // the live watermark is past it
        final Map<String, String> outside = snapshotOutside(closedBefore);
        final Generation more = moreEventsInBackground();
        final Process backfill = backfill("first", "--from", Instant.ofEpochMilli(H).toString(),
            "--to", Instant.ofEpochMilli(H + HOUR).toString());
        finish(backfill, "first");
        assertThat(stack.log("first")).contains("generation 1: minute windows").contains("generation 1 done");
        more.join();

        final EosStack.Verdict repaired = stack.verify(ID, ID, "--wait", "--wait-timeout", "3m");
        assertThat(repaired.exit()).as(repaired.report()).isZero();
        assertThat(differences(outside, snapshotOutside(closedBefore))).as("rows outside the hour, byte for byte")
            .isEmpty();
        for (final String table : TABLES.split(" "))
        {
            assertThat(count(table, "bitShiftRight(version, 48) > 0 AND NOT " + inHour())).as("%s: backfill rows outside the hour",
                table).isZero();
            assertThat(count(table + " FINAL", inHour() + " AND bitShiftRight(version, 48) != 1"))
                .as("%s: rows of the hour not of generation 1", table).isZero();
            assertThat(count(table, inHour() + " AND bitShiftRight(version, 48) = 0")).as("%s: superseded rows left", table)
                .isZero();
            assertThat(count(table, "account_id = 999999999")).as("%s: the key that should not exist", table).isZero();
        }
    }

    @Test
    @Order(2)
    void aBackfillKilledHalfwayLeavesWholeWindowsAndResumesOrRerunsExactly() throws Exception
    {
        final String[] range = {"--from", Instant.ofEpochMilli(H).toString(), "--to",
            Instant.ofEpochMilli(H + HOUR).toString(), "--max-rate", "15000"};
        killHalfway("killed-2", 2, range);
        final EosStack.Verdict afterKill = stack.verify(ID, ID, "--wait", "--wait-timeout", "2m");
        assertThat(afterKill.exit()).as("a killed backfill leaves only whole windows: " + afterKill.report()).isZero();

        final Process resumed = backfill("resumed-2", "--resume", "2");
        finish(resumed, "resumed-2");
        assertThat(stack.log("resumed-2")).contains("generation 2 (resumed)");
        assertThat(count("rollup_minute FINAL", inHour() + " AND bitShiftRight(version, 48) != 2")).isZero();

        killHalfway("killed-3", 3, range);
        final Process rerun = backfill("rerun-4", Arrays.copyOf(range, 4));
        finish(rerun, "rerun-4");
        assertThat(stack.log("rerun-4")).contains("generation 4 done");
        final EosStack.Verdict end = stack.verify(ID, ID);
        assertThat(end.exit()).as(end.report()).isZero();
        for (final String table : TABLES.split(" "))
        {
            assertThat(count(table + " FINAL", inHour() + " AND bitShiftRight(version, 48) != 4")).as(table).isZero();
        }
    }

    /** Starts a backfill of generation {@code generation} and SIGKILLs it once some of its rows have landed. */
    private static void killHalfway(final String log, final int generation, final String... args) throws Exception
    {
        final Process p = backfill(log, args);
        final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(2);
        while (count("rollup_minute", "bitShiftRight(version, 48) = " + generation) == 0)
        {
            assertThat(p.isAlive()).as("backfill %d still running when its first rows land; see %s.log", generation,
                log).isTrue();
            assertThat(System.nanoTime()).as("rows of generation %d within 2 minutes", generation).isLessThan(deadline);
            Thread.sleep(100);
        }
        Pids.kill9(p.pid());
        assertThat(p.waitFor(10, TimeUnit.SECONDS)).isTrue();
        assertThat(stack.log(log)).doesNotContain("generation " + generation + " done");
        final long minuteWindows = client.queryAll("SELECT uniqExact(window_start) FROM d_" + ID + ".rollup_minute " +
            "WHERE bitShiftRight(version, 48) = " + generation).getFirst().getLong(1);
        assertThat(minuteWindows).as("killed halfway: some but not all 60 minutes landed").isBetween(1L, 59L);
    }

    /** Waits for a backfill to exit 0 and shows what it said at the end. */
    private static void finish(final Process backfill, final String log) throws Exception
    {
        assertThat(backfill.waitFor(3, TimeUnit.MINUTES)).as("backfill finished; see %s.log", log).isTrue();
        final String out = stack.log(log);
        assertThat(backfill.exitValue()).as(out).isZero();
        out.lines().filter(l -> l.contains(" generation ")).forEach(l -> System.out.println(log + ": " + l));
    }

    private static Process backfill(final String log, final String... args) throws IOException
    {
        final List<String> all = new ArrayList<>(List.of("--bootstrap", stack.kafka.bootstrap(), "--topic", ID,
            "--database", "d_" + ID, "--clickhouse-url", stack.clickhouse.endpoint(), "--live-group", "g_" + ID,
            "--batch-rows", "2000", "--batch-max-wait", "200ms"));
        all.addAll(List.of(args));
        if (!all.contains("--resume"))
        {
            all.addAll(List.of("--journal-dir", dir.resolve("journal-" + log).toString()));
        }
        else
        {
            all.addAll(List.of("--journal-dir", dir.resolve("journal-killed-" + all.get(all.indexOf("--resume") + 1))
                .toString()));
        }
        return JvmProcess.of("dev.tally.engine.backfill.BackfillMain").heap("384m").args(all.toArray(String[]::new))
            .log(dir.resolve(log + ".log")).start();
    }

    private static int gen(final String... extra)
    {
        final List<String> args = new ArrayList<>(List.of("--bootstrap", stack.kafka.bootstrap(), "--topic", ID,
            "--partitions", Integer.toString(PARTITIONS), "--accounts", "2000", "--seed", "2026",
            "--event-time-start", Long.toString(START), "--late-fraction", "0.02", "--malformed-fraction", "0.001",
            "--json-fraction", "0.05", "--progress-interval", "1h"));
        args.addAll(List.of(extra));
        return GenMain.run(args.toArray(String[]::new));
    }

    /** 30 more seconds of the stream (event time goes on from where it stopped), sent while the backfill runs. */
    private static Generation moreEventsInBackground()
    {
        final AtomicReference<Integer> exit = new AtomicReference<>();
        final Thread t = Thread.ofPlatform().daemon().name("gen-more").start(() ->
            exit.set(gen("--resume", "--rate", Integer.toString(RATE), "--events", Integer.toString(EVENTS + 30 * RATE))));
        return new Generation(t, exit);
    }

    private record Generation(Thread thread, AtomicReference<Integer> exit)
    {
        void join() throws InterruptedException
        {
            thread.join(TimeUnit.MINUTES.toMillis(2));
            assertThat(exit.get()).as("gen --resume exit code").isEqualTo(0);
        }
    }

    /** Wrong rows inside the hour: higher live versions than the true rows, and a key that must not exist. */
    private static void corrupt() throws Exception
    {
        for (final String table : TABLES.split(" "))
        {
            final String t = "d_" + ID + "." + table;
            run("INSERT INTO " + t + " SELECT window_start, account_id, country, source_partition, event_count + 5, " +
                "sum_amount + 1000, bitShiftLeft(toUInt64(1), 40), 0, now64(3) FROM " + t + " FINAL WHERE " + inHour() +
                " ORDER BY event_count DESC LIMIT 3");
            run("INSERT INTO " + t + " SELECT window_start, 999999999, 'US', 0, 7, 700, bitShiftLeft(toUInt64(1), 40), " +
                "0, now64(3) FROM " + t + " FINAL WHERE " + inHour() + " LIMIT 1");
        }
    }

    /**
     * Every column of every row (FINAL) outside the hour whose window ended by {@code endedBy}, keyed by table and
     * sort key: windows the live engine had closed before the backfill started, so nothing else may change them.
     */
    private static Map<String, String> snapshotOutside(final long endedBy)
    {
        final Map<String, String> rows = new java.util.TreeMap<>();
        for (final String table : TABLES.split(" "))
        {
            final long size = table.endsWith("hour") ? HOUR : 60_000;
            final List<GenericRecord> r = client.queryAll("SELECT toString(tuple(window_start, account_id, country, " +
                "source_partition)), toString(tuple(*)) FROM d_" + ID + "." + table + " FINAL WHERE NOT " + inHour() +
                " AND window_start <= fromUnixTimestamp64Milli(" + (endedBy - size) + ", 'UTC')");
            assertThat(r).as("%s has rows outside the hour", table).hasSizeGreaterThan(100);
            r.forEach(row -> rows.put(table + " " + row.getString(1), row.getString(2)));
        }
        return rows;
    }

    /** Up to 5 keys whose rows differ between two snapshots (missing, added or changed), described. */
    private static List<String> differences(final Map<String, String> before, final Map<String, String> after)
    {
        final java.util.TreeSet<String> keys = new java.util.TreeSet<>(before.keySet());
        keys.addAll(after.keySet());
        return keys.stream().filter(k -> !java.util.Objects.equals(before.get(k), after.get(k)))
            .map(k -> k + ": " + before.get(k) + " -> " + after.get(k)).limit(5).toList();
    }

    private static String inHour()
    {
        return "(window_start >= toDateTime(" + H / 1000 + ", 'UTC') AND window_start < toDateTime(" +
            (H + HOUR) / 1000 + ", 'UTC'))";
    }

    private static long count(final String table, final String where)
    {
        return client.queryAll("SELECT count() FROM d_" + ID + "." + table + " WHERE " + where).getFirst().getLong(1);
    }

    private static void run(final String sql) throws Exception
    {
        client.execute(sql).get(60, TimeUnit.SECONDS).close();
    }

    /** Waits until the live group's committed watermark has reached {@code watermark} on every partition. */
    private static void awaitLiveWatermark(final long watermark) throws Exception
    {
        final Properties p = new Properties();
        p.put(AdminClientConfig.BOOTSTRAP_SERVERS_CONFIG, stack.kafka.bootstrap());
        try (Admin admin = Admin.create(p))
        {
            final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(3);
            while (true)
            {
                final Map<TopicPartition, OffsetAndMetadata> commits = admin.listConsumerGroupOffsets("g_" + ID)
                    .partitionsToOffsetAndMetadata().get(10, TimeUnit.SECONDS);
                final long reached = commits.size() < PARTITIONS ? Long.MIN_VALUE : commits.values().stream()
                    .mapToLong(om -> om == null ? Long.MIN_VALUE : CommitMetadata.parse(om.metadata()).watermark())
                    .min().orElse(Long.MIN_VALUE);
                if (reached >= watermark)
                {
                    return;
                }
                assertThat(live.isAlive()).as("live engine running; see live.log").isTrue();
                assertThat(System.nanoTime()).as("live watermark reaches %s", Instant.ofEpochMilli(watermark))
                    .isLessThan(deadline);
                Thread.sleep(500);
            }
        }
    }
}
