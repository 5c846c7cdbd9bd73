package dev.tally.engine.sink;

import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.query.QueryResponse;
import com.clickhouse.client.api.query.QuerySettings;
import com.clickhouse.data.ClickHouseFormat;
import dev.tally.engine.sink.ReadContractBlocks.Block;
import dev.tally.engine.sink.ReadContractBlocks.Outcome;
import dev.tally.engine.window.Windowing;
import dev.tally.stack.clickhouse.LocalClickHouse;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * docs/read-contract.md, executed: every sql block of the page runs against tally's real schema on the local
 * ClickHouse server, with merges stopped, over rows of the kinds readers meet before a merge (early-fired partial
 * rows of lower versions, replayed copies, a backfill generation beside the live rows it supersedes, a key written
 * by two source partitions, refunds, replayed side-output entries). Exact forms must return what a model of
 * "the highest version per key and partition, summed over partitions" says; NEVER forms must not, in the
 * documented direction. The page cannot drift from what ClickHouse does.
 */
class ReadContractTest
{
    private static final Path DOC = Path.of(System.getProperty("tally.home", "..")).resolve("docs/read-contract.md");
    private static final long T0 = 1_767_225_600L; // 2026-01-01T00:00:00Z
    private static final String FROM = "2026-01-01 00:00:00";
    private static final String TO = "2026-01-01 00:05:00";
    private static final long ACCOUNT = 1;
    private static final String[] COUNTRIES = {"DE", "NL", "US"};
    private static final DateTimeFormatter SECONDS =
        DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

    @TempDir
    static Path dir;
    private static LocalServer server;
    private static Client client;
    private static List<Block> blocks;
    private static final Fixture FIXTURE = Fixture.seeded(20261203L);

    /** A rollup_minute row as stored: one emission of a key, any version. */
    record Row(long windowStart, long account, String country, int partition, long count, long sum, long version,
        long batchId)
    {
        List<Object> key()
        {
            return List.of(windowStart, account, country, partition);
        }

        String values()
        {
            return "(" + windowStart + ", " + account + ", '" + country + "', " + partition + ", " + count + ", " +
                sum + ", " + version + ", " + batchId + ", " + (windowStart * 1000 + 61_000) + ")";
        }
    }

    /** A late_events row as stored; a replay writes one again with another detected_at. */
    record Side(int partition, long offset, int kind, String reason, long detectedAtMs)
    {
        List<Object> key()
        {
            return List.of(partition, offset, kind);
        }

        String values()
        {
            return "(" + partition + ", " + offset + ", " + kind + ", '" + reason + "', " + T0 * 1000 + ", " + ACCOUNT +
                ", 'NL', 100, 'raw', " + detectedAtMs + ")";
        }
    }

    /** What the tables hold before any merge, and what a correct reader must see. */
    record Fixture(List<Row> rows, List<Side> sides)
    {
        static Fixture seeded(final long seed)
        {
            final Random random = new Random(seed);
            final List<Row> rows = new ArrayList<>();
            long batch = 1;
            // Hand-made cases, so each NEVER form is wrong whatever the seed:
            // early-fired partial row below the final one; the same key written by a second partition.
            rows.add(new Row(T0, ACCOUNT, "NL", 0, 2, 300, 3, batch++));
            rows.add(new Row(T0, ACCOUNT, "NL", 0, 4, 500, 5, batch++));
            rows.add(new Row(T0, ACCOUNT, "NL", 1, 1, 50, 7, batch++));
            // A refund: the later version has the smaller sum.
            rows.add(new Row(T0 + 60, 2, "DE", 0, 2, 900, 10, batch++));
            rows.add(new Row(T0 + 60, 2, "DE", 0, 3, 400, 12, batch++));
            // A replay: the same version written again in another batch.
            rows.add(new Row(T0 + 60, 3, "US", 2, 5, 1000, 20, batch++));
            rows.add(new Row(T0 + 60, 3, "US", 2, 5, 1000, 20, batch++));
            // A backfill (generation 1) that corrected the row to fewer events, beside the live row it supersedes.
            rows.add(new Row(T0 + 86_400 + 36_000, ACCOUNT, "NL", 0, 6, 600, 30, batch++));
            rows.add(new Row(T0 + 86_400 + 36_000, ACCOUNT, "NL", 0, 5, 550, (1L << Windowing.GENERATION_SHIFT) | 30,
                batch++));
            // Seeded bulk: 2 days x 10 minutes, 40 accounts, 4 partitions; 1-3 emissions per key, some replayed.
            final Set<List<Object>> seen = new java.util.HashSet<>();
            rows.forEach(r -> seen.add(r.key()));
            for (int i = 0; i < 400; i++)
            {
                final Row base = new Row(T0 + random.nextInt(2) * 86_400L + random.nextInt(10) * 60L,
                    1 + random.nextInt(40), COUNTRIES[random.nextInt(COUNTRIES.length)], random.nextInt(4), 0, 0, 0, 0);
                if (!seen.add(base.key()))
                {
                    continue;
                }
                long offset = random.nextInt(1000);
                long count = 0;
                long sum = 0;
                final List<Row> emissions = new ArrayList<>();
                for (int e = 1 + random.nextInt(3); e > 0; e--)
                {
                    final int folded = 1 + random.nextInt(5);
                    count += folded;
                    for (int f = 0; f < folded; f++)
                    {
                        sum += random.nextInt(10) == 0 ? -random.nextInt(5_000) : random.nextInt(10_000);
                    }
                    offset += folded + random.nextInt(100);
                    emissions.add(new Row(base.windowStart, base.account, base.country, base.partition, count, sum,
                        offset + 1, batch++));
                }
                rows.addAll(emissions);
                if (random.nextInt(3) == 0)
                {
                    final Row again = emissions.get(random.nextInt(emissions.size()));
                    rows.add(new Row(again.windowStart, again.account, again.country, again.partition, again.count,
                        again.sum, again.version, batch++));
                }
            }
            Collections.shuffle(rows, random);
            final List<Side> sides = List.of(
                new Side(0, 100, 0, "late", 1), new Side(0, 100, 1, "late", 1), new Side(1, 7, -1, "malformed", 1),
                new Side(2, 9, -1, "future", 1), new Side(0, 100, 0, "late", 2), new Side(1, 7, -1, "malformed", 2),
                new Side(3, 12, 0, "late", 1));
            return new Fixture(rows, sides);
        }

        /** The row of the highest version per (window_start, account_id, country, source_partition). */
        List<Row> latest()
        {
            final Map<List<Object>, Row> latest = new HashMap<>();
            rows.forEach(r -> latest.merge(r.key(), r, (a, b) -> a.version >= b.version ? a : b));
            return List.copyOf(latest.values());
        }

        /** What each exact form of {@code query} must print, as TabSeparated lines. */
        List<String> expected(final String query)
        {
            return switch (query)
            {
                case "dashboard" -> totals(latest().stream()
                    .filter(r -> r.windowStart >= T0 && r.windowStart < T0 + 300), r -> SECONDS.format(seconds(r)));
                case "reconcile" -> totals(latest().stream(),
                    r -> LocalDate.ofInstant(seconds(r), ZoneOffset.UTC).toString());
                case "account" -> totals(latest().stream().filter(r -> r.account == ACCOUNT),
                    r -> SECONDS.format(seconds(r)) + "\t" + r.country);
                case "late" -> sides.stream().map(Side::key).distinct()
                    .map(k -> reason(k) + "\t" + k.get(2))
                    .collect(Collectors.groupingBy(s -> s, TreeMap::new, Collectors.counting()))
                    .entrySet().stream().map(e -> e.getKey() + "\t" + e.getValue()).toList();
                default -> throw new IllegalArgumentException("no model for query '" + query + "' in " + DOC);
            };
        }

        private String reason(final List<Object> key)
        {
            return sides.stream().filter(s -> s.key().equals(key)).findFirst().orElseThrow().reason;
        }

        private static Instant seconds(final Row r)
        {
            return Instant.ofEpochSecond(r.windowStart);
        }

        /** event_count and sum_amount summed per group, groups in order. */
        private static List<String> totals(final java.util.stream.Stream<Row> rows,
            final java.util.function.Function<Row, String> group)
        {
            final TreeMap<String, long[]> sums = new TreeMap<>();
            rows.forEach(r ->
            {
                final long[] s = sums.computeIfAbsent(group.apply(r), g -> new long[2]);
                s[0] += r.count;
                s[1] += r.sum;
            });
            return sums.entrySet().stream().map(e -> e.getKey() + "\t" + e.getValue()[0] + "\t" + e.getValue()[1])
                .toList();
        }
    }

    @BeforeAll
    static void load() throws Exception
    {
        blocks = ReadContractBlocks.read(DOC);
        server = LocalServer.start("read-contract-test", dir, LocalClickHouse.Options.defaults());
        client = server.client;
        load("tally");
    }

    @AfterAll
    static void stop()
    {
        if (server != null)
        {
            server.close();
        }
    }

    @Test
    void thePageShowsEachFormThePerfScriptTimes()
    {
        final Set<String> shown = blocks.stream().map(Block::toString).collect(Collectors.toSet());
        for (final String query : List.of("dashboard", "reconcile"))
        {
            for (final String form : List.of("view", "FINAL", "argMax", "NEVER plain sum (over-counts)"))
            {
                assertThat(shown).contains(query + ": " + form);
            }
        }
        assertThat(blocks).hasSizeGreaterThanOrEqualTo(13);
    }

    @Test
    void theTablesHoldPreMergeDuplicates()
    {
        assertThat(scalar("SELECT count() FROM tally.rollup_minute")).isEqualTo(FIXTURE.rows().size());
        assertThat(scalar("SELECT count() FROM tally.rollup_minute FINAL")).isEqualTo(FIXTURE.latest().size())
            .isLessThan(FIXTURE.rows().size());
        assertThat(scalar("SELECT count() FROM tally.late_events")).isEqualTo(FIXTURE.sides().size());
    }

    @Test
    void everyExactFormReturnsTheTruth() throws Exception
    {
        int ran = 0;
        for (final Block b : blocks)
        {
            if (b.outcome() == Outcome.EXACT)
            {
                assertThat(run(b, "tally")).as(b.toString()).isEqualTo(FIXTURE.expected(b.query())).isNotEmpty();
                ran++;
            }
        }
        assertThat(ran).isGreaterThanOrEqualTo(8);
    }

    @Test
    void everyNeverFormIsWrongInTheDocumentedDirection() throws Exception
    {
        int ran = 0;
        for (final Block b : blocks)
        {
            if (b.outcome() == Outcome.EXACT)
            {
                continue;
            }
            final List<String> expected = FIXTURE.expected(b.query());
            final List<String> actual = run(b, "tally");
            assertThat(actual).as(b.toString()).isNotEqualTo(expected);
            final long truth = countColumn(b.query(), expected);
            switch (b.outcome())
            {
                case OVER_COUNTS -> assertThat(countColumn(b.query(), actual)).as(b.toString()).isGreaterThan(truth);
                case UNDER_COUNTS -> assertThat(countColumn(b.query(), actual)).as(b.toString()).isLessThan(truth);
                default -> { }
            }
            ran++;
        }
        assertThat(ran).isGreaterThanOrEqualTo(5);
    }

    /** The page's claim about OPTIMIZE: it makes a plain sum right only until the next emission lands. */
    @Test
    void optimizeFinalFixesAPlainSumOnlyUntilTheNextInsert() throws Exception
    {
        final String db = "tally_optimized";
        load(db);
        final Block plain = block("reconcile", "NEVER plain sum (over-counts)");
        final Block view = block("reconcile", "view");
        final List<String> truth = FIXTURE.expected("reconcile");
        assertThat(run(plain, db)).isNotEqualTo(truth);

        execute("SYSTEM START MERGES " + db + ".rollup_minute");
        execute("OPTIMIZE TABLE " + db + ".rollup_minute FINAL");
        execute("SYSTEM STOP MERGES " + db + ".rollup_minute");
        assertThat(run(plain, db)).isEqualTo(truth);

        // One more early-fired row of a key already there, as the next tick, a replay or a zombie writes it.
        final Row latest = FIXTURE.latest().getFirst();
        execute("INSERT INTO " + db + ".rollup_minute VALUES " + new Row(latest.windowStart, latest.account,
            latest.country, latest.partition, 1, 1, latest.version - 1, 999_999).values());
        assertThat(run(plain, db)).isNotEqualTo(truth);
        assertThat(run(view, db)).isEqualTo(truth);
    }

    private static void load(final String db) throws Exception
    {
        ClickHouseSchema.create(client, db);
        for (final String table : List.of("rollup_minute", "rollup_hour", "late_events"))
        {
            execute("SYSTEM STOP MERGES " + db + "." + table);
        }
        // ClickHouse collapses the versions of a key within one insert (optimize_on_insert), as it would merge
        // them: the n-th row of each key goes into the n-th insert, so every stored row stays a row of its own part.
        final Map<List<Object>, Integer> seen = new HashMap<>();
        final TreeMap<Integer, List<Row>> inserts = new TreeMap<>();
        for (final Row r : FIXTURE.rows())
        {
            inserts.computeIfAbsent(seen.merge(r.key(), 1, Integer::sum), n -> new ArrayList<>()).add(r);
        }
        for (final List<Row> insert : inserts.values())
        {
            execute("INSERT INTO " + db + ".rollup_minute VALUES " +
                insert.stream().map(Row::values).collect(Collectors.joining(", ")));
        }
        for (final Side s : FIXTURE.sides())
        {
            execute("INSERT INTO " + db + ".late_events VALUES " + s.values());
        }
    }

    private static Block block(final String query, final String form)
    {
        return blocks.stream().filter(b -> b.query().equals(query) && b.form().equals(form)).findFirst()
            .orElseThrow(() -> new AssertionError(DOC + " lacks the block '-- " + query + ": " + form + "'"));
    }

    /** The block's result as TabSeparated lines, with the page's parameters. */
    @SuppressWarnings("try") // QueryResponse.close() declares Exception; closing is all that is wanted.
    private static List<String> run(final Block b, final String db) throws Exception
    {
        final Map<String, Object> params = Map.of("from", FROM, "to", TO, "account", ACCOUNT);
        try (QueryResponse response = client.query(b.sqlFor(db), params,
            new QuerySettings().setFormat(ClickHouseFormat.TabSeparated)).get(60, TimeUnit.SECONDS);
             InputStream in = response.getInputStream())
        {
            final String text = new String(in.readAllBytes(), StandardCharsets.UTF_8).strip();
            return text.isEmpty() ? List.of() : List.of(text.split("\n"));
        }
    }

    /** The total of the count column: events for rollup queries, records for late_events. */
    private static long countColumn(final String query, final List<String> lines)
    {
        final int column = query.equals("late") || query.equals("account") ? 2 : 1;
        return lines.stream().mapToLong(l -> Long.parseLong(l.split("\t")[column])).sum();
    }

    private static long scalar(final String sql)
    {
        return client.queryAll(sql).getFirst().getLong(1);
    }

    private static void execute(final String sql) throws Exception
    {
        client.execute(sql).get(60, TimeUnit.SECONDS).close();
    }
}
