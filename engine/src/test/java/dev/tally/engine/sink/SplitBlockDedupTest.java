package dev.tally.engine.sink;

import java.io.ByteArrayInputStream;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.insert.InsertSettings;
import com.clickhouse.data.ClickHouseFormat;
import dev.tally.stack.Ports;
import dev.tally.stack.ServiceProcess;
import dev.tally.stack.clickhouse.LocalClickHouse;
import org.agrona.ExpandableArrayBuffer;
import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * How {@code insert_deduplication_token} behaves when one insert is cut into several blocks, against the local
 * server (chDB 26.5 behind the HTTP interface).
 * <p>
 * An insert becomes one block per {@code max_insert_block_size} rows (only with
 * {@code use_strict_insert_block_limits=1} on this server, see
 * {@link #maxInsertBlockSizeSplitsOnlyWithStrictLimitsOnTheLocalServer()}), and every block becomes one part per
 * {@code toYYYYMMDD(window_start)} partition it touches. ClickHouse deduplicates block by block: block {@code i} of
 * an insert under token {@code T} is remembered as {@code (partition, T_i)}, one id per part written, and a later
 * block with the same id is skipped whatever rows it holds. So a byte-identical re-send with identical settings is
 * cut the same way and skipped entirely, but the same token with another split or row order skips the block ids it
 * has seen (even if their rows differ) and inserts the others (even if their rows are already there). This is the
 * reason tally re-sends a pending batch byte-identically, with identical settings, from its journal.
 * <p>
 * Each test uses its own database with merges stopped, so {@code count()} reads raw parts (a merge of
 * {@code ReplacingMergeTree} would fold duplicates away) and {@code system.parts} counts the parts inserts wrote.
 * Expected figures come from {@link DedupModel}, which implements the rule above, and are also spelled out.
 */
class SplitBlockDedupTest
{
    private static final long DAY0_MS = 1_767_225_600_000L;
    private static final long DAY_MS = 86_400_000L;
    private static final int DAYS = 5;
    private static final int ROWS = 100;
    private static final String TABLE = "rollup_minute";
    private static final String[] NO_SPLIT = {};
    private static final String[] SPLIT_7 = {"max_insert_block_size", "7", "use_strict_insert_block_limits", "1"};
    private static final String[] SPLIT_11 = {"max_insert_block_size", "11", "use_strict_insert_block_limits", "1"};

    @TempDir
    static Path dir;
    private static ServiceProcess server;
    private static Client client;
    private static final AtomicInteger DATABASES = new AtomicInteger();

    @BeforeAll
    static void startServer()
    {
        server = LocalClickHouse.start("split-block-dedup-test", Ports.freePort(), dir.resolve("data"),
            dir.resolve("clickhouse.log"), LocalClickHouse.Options.defaults());
        client = new Client.Builder().addEndpoint(server.endpoint()).setUsername("default").setPassword("")
            .setMaxRetries(0).setSocketTimeout(60, ChronoUnit.SECONDS).build();
    }

    @AfterAll
    static void stopServer()
    {
        try
        {
            if (client != null)
            {
                client.close();
            }
        }
        finally
        {
            if (server != null)
            {
                LocalClickHouse.stop(server);
            }
        }
    }

    @Test
    void byteIdenticalResendWithTheSameSplitLandsOnce() throws Exception
    {
        final String db = database(ClickHouseSchema.DEFAULT_DEDUPLICATION_WINDOW);
        final int[] order = inOrder();
        final byte[] body = encode(order);
        final String token = token(body, ROWS);
        final DedupModel model = new DedupModel(ClickHouseSchema.DEFAULT_DEDUPLICATION_WINDOW);

        insert(db, body, token, SPLIT_7);
        model.insert(order, 7);
        // 15 blocks of <= 7 rows, each spread over up to 5 days: 14 * 5 + 2 parts, not one part per partition.
        assertThat(parts(db)).isEqualTo(model.parts).isEqualTo(72).isGreaterThan(DAYS);
        assertThat(count(db)).isEqualTo(model.rows).isEqualTo(ROWS);

        insert(db, body, token, SPLIT_7);
        model.insert(order, 7);
        assertThat(count(db)).isEqualTo(model.rows).isEqualTo(ROWS);
        assertThat(parts(db)).isEqualTo(model.parts).isEqualTo(72);
        assertThat(distinctRows(db)).isEqualTo(ROWS);
    }

    @Test
    void partitionsAloneSplitAnInsertAndTheResendLandsOnce() throws Exception
    {
        final String db = database(ClickHouseSchema.DEFAULT_DEDUPLICATION_WINDOW);
        final byte[] body = encode(inOrder());
        final String token = token(body, ROWS);

        insert(db, body, token, NO_SPLIT);
        assertThat(parts(db)).as("one part per toYYYYMMDD partition").isEqualTo(DAYS);
        assertThat(count(db)).isEqualTo(ROWS);

        insert(db, body, token, NO_SPLIT);
        assertThat(parts(db)).isEqualTo(DAYS);
        assertThat(count(db)).isEqualTo(ROWS);
    }

    /**
     * The local server spools an HTTP insert to a file and runs {@code INSERT ... FROM INFILE}, so the body is
     * parsed in {@code max_block_size} chunks, not {@code max_insert_block_size} ones as a real server's HTTP
     * interface does; and the insert's squashing honours {@code max_insert_block_size} only with
     * {@code use_strict_insert_block_limits=1}. Only partitions split an insert otherwise.
     */
    @Test
    void maxInsertBlockSizeSplitsOnlyWithStrictLimitsOnTheLocalServer() throws Exception
    {
        Assumptions.assumeTrue(LocalClickHouse.status(server.port()).contains("chdb_queries="),
            "the block cutting checked here is the chDB server's, a real clickhouse server parses HTTP bodies itself");
        final int[] order = inOrder();
        final byte[] body = encode(order);
        final DedupModel split7 = new DedupModel(ClickHouseSchema.DEFAULT_DEDUPLICATION_WINDOW);
        split7.insert(order, 7);

        assertThat(partsAfterOneInsert(body, "max_insert_block_size", "7")).isEqualTo(DAYS);
        assertThat(partsAfterOneInsert(body, "max_insert_block_size", "7", "min_insert_block_size_rows", "0",
            "min_insert_block_size_bytes", "0")).isEqualTo(DAYS);
        assertThat(partsAfterOneInsert(body, "max_block_size", "7")).isEqualTo(DAYS);
        assertThat(partsAfterOneInsert(body, "max_block_size", "7", "min_insert_block_size_rows", "0",
            "min_insert_block_size_bytes", "0")).isEqualTo(split7.parts).isEqualTo(72);
        assertThat(partsAfterOneInsert(body, SPLIT_7)).isEqualTo(split7.parts).isEqualTo(72);
    }

    @Test
    void sameTokenWithMoreBlocksInsertsTheBlocksItHasNotSeen() throws Exception
    {
        final String db = database(ClickHouseSchema.DEFAULT_DEDUPLICATION_WINDOW);
        final int[] order = inOrder();
        final byte[] body = encode(order);
        final String token = token(body, ROWS);
        final DedupModel model = new DedupModel(ClickHouseSchema.DEFAULT_DEDUPLICATION_WINDOW);

        insert(db, body, token, SPLIT_11);
        model.insert(order, 11);
        assertThat(parts(db)).isEqualTo(model.parts).isEqualTo(46);
        assertThat(count(db)).isEqualTo(model.rows).isEqualTo(ROWS);

        // Same bytes, same token, 15 blocks instead of 10: blocks 10..14 and most of block 9 are new ids.
        insert(db, body, token, SPLIT_7);
        model.insert(order, 7);
        assertThat(count(db)).isEqualTo(model.rows).isEqualTo(ROWS + 35);
        assertThat(parts(db)).isEqualTo(model.parts).isEqualTo(46 + 26);
        assertThat(distinctRows(db)).isEqualTo(ROWS);
    }

    @Test
    void sameTokenWithFewerBlocksInsertsNothingWhateverTheRows() throws Exception
    {
        final String db = database(ClickHouseSchema.DEFAULT_DEDUPLICATION_WINDOW);
        final int[] order = inOrder();
        final byte[] body = encode(order);
        final String token = token(body, ROWS);
        final DedupModel model = new DedupModel(ClickHouseSchema.DEFAULT_DEDUPLICATION_WINDOW);

        insert(db, body, token, SPLIT_7);
        model.insert(order, 7);
        insert(db, body, token, SPLIT_11);
        model.insert(order, 11);
        assertThat(count(db)).isEqualTo(model.rows).isEqualTo(ROWS);

        // Other rows entirely under the same token and split: every block id is known, so all of them are dropped.
        insert(db, encode(order, 1_000), token, SPLIT_7);
        model.insert(order, 7);
        assertThat(count(db)).isEqualTo(model.rows).isEqualTo(ROWS);
        assertThat(distinctRows(db)).isEqualTo(ROWS);
        assertThat(parts(db)).isEqualTo(model.parts).isEqualTo(72);
    }

    @Test
    void reorderedRowsUnderTheSameTokenLandTwiceWhereABlockMovesPartition() throws Exception
    {
        final String db = database(ClickHouseSchema.DEFAULT_DEDUPLICATION_WINDOW);
        final int[] order = inOrder();
        final byte[] body = encode(order);
        final String token = token(body, ROWS);
        final DedupModel model = new DedupModel(ClickHouseSchema.DEFAULT_DEDUPLICATION_WINDOW);

        insert(db, body, token, SPLIT_7);
        model.insert(order, 7);

        // Reversed, the last block holds rows 1 and 0 (days 1 and 0) instead of 98 and 99 (days 3 and 4).
        final int[] reversed = new int[ROWS];
        for (int i = 0; i < ROWS; i++)
        {
            reversed[i] = ROWS - 1 - i;
        }
        insert(db, encode(reversed), token, SPLIT_7);
        model.insert(reversed, 7);
        assertThat(count(db)).isEqualTo(model.rows).isEqualTo(ROWS + 2);
        assertThat(parts(db)).isEqualTo(model.parts).isEqualTo(72 + 2);
        assertThat(distinctRows(db)).isEqualTo(ROWS);
    }

    @Test
    void windowSmallerThanTheBlocksOfOneInsertForgetsItWhileCheckingIt() throws Exception
    {
        final int window = 50;
        final String db = database(window);
        final int[] order = inOrder();
        final byte[] body = encode(order);
        final String token = token(body, ROWS);
        final DedupModel model = new DedupModel(window);

        insert(db, body, token, SPLIT_7);
        model.insert(order, 7);
        assertThat(parts(db)).isEqualTo(model.parts).isEqualTo(72).isGreaterThan(window);

        // The window holds block ids, not inserts: each re-inserted block evicts the next id about to be checked.
        insert(db, body, token, SPLIT_7);
        model.insert(order, 7);
        assertThat(count(db)).isEqualTo(model.rows).isEqualTo(2L * ROWS);
        assertThat(parts(db)).isEqualTo(model.parts).isEqualTo(2L * 72);
    }

    /**
     * The deduplication rule as this test understands it: block {@code i} (rows {@code [i * blockRows, ...)} of the
     * body) writes one part per partition it touches, each remembered as {@code (partition, i)} in a first-in
     * first-out window of {@code window} ids, and skipped when that id is still remembered. One token throughout.
     */
    private static final class DedupModel
    {
        private final int window;
        private final ArrayDeque<String> remembered = new ArrayDeque<>();
        private final Set<String> known = new HashSet<>();
        private long rows;
        private long parts;

        DedupModel(final int window)
        {
            this.window = window;
        }

        void insert(final int[] order, final int blockRows)
        {
            for (int start = 0, block = 0; start < order.length; start += blockRows, block++)
            {
                final Map<Integer, Integer> rowsPerDay = new TreeMap<>();
                for (int r = start; r < Math.min(order.length, start + blockRows); r++)
                {
                    rowsPerDay.merge(day(order[r]), 1, Integer::sum);
                }
                for (final Map.Entry<Integer, Integer> e : rowsPerDay.entrySet())
                {
                    final String id = e.getKey() + "_" + block;
                    if (!known.contains(id))
                    {
                        rows += e.getValue();
                        parts++;
                        remember(id);
                    }
                }
            }
        }

        private void remember(final String id)
        {
            remembered.addLast(id);
            known.add(id);
            if (remembered.size() > window)
            {
                known.remove(remembered.removeFirst());
            }
        }
    }

    private static int day(final int row)
    {
        return row % DAYS;
    }

    private static int[] inOrder()
    {
        final int[] order = new int[ROWS];
        for (int i = 0; i < ROWS; i++)
        {
            order[i] = i;
        }
        return order;
    }

    private static byte[] encode(final int[] order)
    {
        return encode(order, 0);
    }

    /** Row {@code r} is account {@code accountBase + r} on day {@code r % DAYS}, minute {@code r} of that day. */
    private static byte[] encode(final int[] order, final long accountBase)
    {
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(order.length * RollupRowEncoder.ROW_LENGTH);
        int offset = 0;
        for (final int r : order)
        {
            final long windowStartMs = DAY0_MS + day(r) * DAY_MS + r * 60_000L;
            offset = RollupRowEncoder.encode(buffer, offset, windowStartMs, accountBase + r, 0x5553, r % 4, r + 1,
                r * 10L, 0, 1, 1, windowStartMs + 60_500);
        }
        return Arrays.copyOf(buffer.byteArray(), offset);
    }

    private static String token(final byte[] body, final int rows)
    {
        return BatchToken.of(TABLE, new UnsafeBuffer(body), body.length, rows);
    }

    /** A fresh database with tally's schema and merges stopped on {@code rollup_minute}. */
    private static String database(final int deduplicationWindow) throws Exception
    {
        final String db = "tally_split" + DATABASES.incrementAndGet();
        ClickHouseSchema.create(client, db, deduplicationWindow);
        client.execute("SYSTEM STOP MERGES " + db + "." + TABLE).get(60, TimeUnit.SECONDS).close();
        return db;
    }

    private static long partsAfterOneInsert(final byte[] body, final String... serverSettings) throws Exception
    {
        final String db = database(ClickHouseSchema.DEFAULT_DEDUPLICATION_WINDOW);
        insert(db, body, token(body, ROWS), serverSettings);
        assertThat(count(db)).isEqualTo(ROWS);
        return parts(db);
    }

    private static void insert(final String db, final byte[] body, final String token,
        final String... serverSettings) throws Exception
    {
        final InsertSettings settings = new InsertSettings().setDeduplicationToken(token);
        for (int i = 0; i < serverSettings.length; i += 2)
        {
            settings.serverSetting(serverSettings[i], serverSettings[i + 1]);
        }
        client.insert(db + "." + TABLE, new ByteArrayInputStream(body), ClickHouseFormat.RowBinary, settings)
            .get(60, TimeUnit.SECONDS).close();
    }

    private static long count(final String db)
    {
        return longOf("SELECT toInt64(count()) FROM " + db + "." + TABLE);
    }

    private static long distinctRows(final String db)
    {
        return longOf("SELECT toInt64(uniqExact(account_id)) FROM " + db + "." + TABLE);
    }

    private static long parts(final String db)
    {
        return longOf("SELECT toInt64(count()) FROM system.parts WHERE database = '" + db + "' AND table = '" +
            TABLE + "' AND active");
    }

    private static long longOf(final String sql)
    {
        return client.queryAll(sql).getFirst().getLong(1);
    }
}
