package dev.tally.verify;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;

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

import dev.tally.engine.Engine;
import dev.tally.engine.EngineConfig;
import dev.tally.gen.GenMain;
import dev.tally.stack.Ports;
import dev.tally.stack.ServiceProcess;
import dev.tally.stack.clickhouse.LocalClickHouse;
import dev.tally.stack.kafka.LocalKafka;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * verify on the local stack against the engine as the system under test: 300k generated events (out of order,
 * late within and beyond the allowed lateness, JSON and malformed ones among them) through the engine, then
 * verify must find an exact match, and must find every deliberate corruption of ClickHouse or of the topic.
 * The methods run in order: the ones that corrupt come last.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class VerifyStackTest
{
    static final String TOPIC = "events";
    static final int PARTITIONS = 4;
    static final String[] GEN_FLAGS =
    {
        "--topic", TOPIC, "--partitions", Integer.toString(PARTITIONS), "--events", "300000", "--rate", "0",
        "--time-rate", "2000", "--accounts", "20000", "--seed", "7", "--event-time-start", "2026-01-01T00:00:00Z",
        "--late-fraction", "0.03", "--json-fraction", "0.05", "--malformed-fraction", "0.001",
        "--progress-interval", "1h"
    };

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;

    static LocalKafka kafka;
    static ServiceProcess clickhouse;

    @BeforeAll
    static void generateAndRunTheEngine() throws Exception
    {
        kafka = LocalKafka.start(1, dir.resolve("kafka"));
        clickhouse = LocalClickHouse.start("clickhouse-verify", Ports.freePort(), dir.resolve("ch"),
            dir.resolve("ch.log"), LocalClickHouse.Options.defaults());
        final List<String> gen = new ArrayList<>(List.of("--bootstrap", kafka.bootstrap()));
        gen.addAll(Arrays.asList(GEN_FLAGS));
        assertThat(GenMain.run(gen.toArray(String[]::new))).isZero();

        final EngineConfig config = new EngineConfig();
        config.bootstrap = kafka.bootstrap();
        config.topic = TOPIC;
        config.clickhouseUrl = clickhouse.endpoint();
        config.stopAtEnd = true;
        config.emitInterval = Duration.ofMillis(200);
        config.batchRows = 50_000;
        config.journalDir = dir.resolve("journal");
        try (Engine engine = Engine.start(config))
        {
            assertThat(engine.awaitFinished(Duration.ofMinutes(3))).as("engine failure: %s", engine.failure()).isTrue();
        }
    }

    @AfterAll
    static void stopStack()
    {
        try
        {
            if (clickhouse != null)
            {
                LocalClickHouse.stop(clickhouse);
            }
        }
        finally
        {
            if (kafka != null)
            {
                kafka.close();
            }
        }
    }

    @Test
    @Order(1)
    void theEngineOutputIsAnExactMatch()
    {
        final Path file = dir.resolve("exact.properties");
        final Run run = verify("--summary", file.toString());
        assertThat(run.code).as(run.out).isZero();
        assertThat(run.out).contains("verify: topic events: 4 partitions, 300000 records read")
            .containsPattern("expected side output: [1-9][0-9]+ malformed, 0 future, late minute [1-9][0-9]+, hour ")
            .containsPattern("(?m)^verify: EXACT MATCH \\([0-9]+ rollup keys on 2 read paths, [0-9]+ side-output");
        final Properties summary = summary(file);
        assertThat(summary).containsEntry("exit", "0").containsEntry("topic", TOPIC).containsEntry("records", "300000")
            .containsEntry("final-view.duplicates", "0").containsEntry("final-view.loss", "0")
            .containsEntry("argmax-version.duplicates", "0").containsEntry("argmax-version.loss", "0")
            .containsEntry("late_events.missing", "0").containsEntry("late_events.extra", "0")
            .containsEntry("late_events.late", summary.getProperty("expected.late"))
            .containsEntry("late_events.malformed", summary.getProperty("expected.malformed"));
    }

    @Test
    @Order(2)
    void againstSeedPassesOnAGeneratedTopic()
    {
        final Run run = verify("--against-seed", "--gen-flags", String.join(" ", GEN_FLAGS));
        assertThat(run.code).as(run.out).isZero();
        assertThat(run.out).contains("against-seed: 300000 records checked, 300000 equal the generator's, 0 differ")
            .contains("run seed=7 event-time-start=2026-01-01T00:00:00Z: 300000 events of indices 0..299999, " +
                "0 indices absent")
            .contains("every record equals the generator's)");

        final Run wrongFlags = verify("--against-seed", "--max-diff", "1");
        assertThat(wrongFlags.code).as(wrongFlags.out).isEqualTo(3);
        assertThat(wrongFlags.out).contains("300000 differ", "written with other event-shaping settings")
            .contains("verify: MISMATCH (records differing from the generator's)");
    }

    @Test
    @Order(3)
    void missingTopicDatabaseOrServiceExitOneWithOneLineSayingWhatToDo()
    {
        final Run topic = verify("--topic", "no-such-topic");
        final Run database = verify("--database", "no_such_db");
        final Run service = verifyAt("http://127.0.0.1:" + Ports.freePort());
        assertThat(List.of(topic.code, database.code, service.code)).containsOnly(1);
        assertThat(topic.err.strip()).startsWith("tally verify: topic 'no-such-topic' does not exist")
            .endsWith("write events with ./tally gen, or pass --topic").doesNotContain("\n");
        assertThat(database.err.strip()).startsWith("tally verify: database 'no_such_db'")
            .contains("lacks late_events, rollup_hour, rollup_hour_final, rollup_minute, rollup_minute_final")
            .doesNotContain("\n");
        assertThat(service.err.strip()).startsWith("tally verify: ClickHouse at http://127.0.0.1:")
            .contains("./tally stack up", "--clickhouse-url").doesNotContain("\n");
        assertThat(topic.out + database.out + service.out).isEmpty();
    }

    @Test
    @Order(4)
    void waitTimesOutWhenTheGroupHasNoCommits()
    {
        final Run run = verify("--wait", "--group", "never-committed", "--wait-timeout", "2s");
        assertThat(run.code).isEqualTo(1);
        assertThat(run.out).isEmpty();
        assertThat(run.err.lines().filter(l -> l.startsWith("tally verify:"))).singleElement().asString()
            .contains("timed out after 2s waiting for group never-committed")
            .contains("events-0 (no commit", "events-1 (no commit", "events-2 (no commit", "events-3 (no commit");
    }

    @Test
    @Order(5)
    void waitPassesOnceEveryPartitionIsAcknowledgedUpToTheEnd()
    {
        final Map<Integer, Long> ends = StackFixtures.endOffsets(kafka.bootstrap(), TOPIC, PARTITIONS);
        final Map<TopicPartition, OffsetAndMetadata> commits = new HashMap<>();
        ends.forEach((p, end) -> commits.put(new TopicPartition(TOPIC, p),
            new OffsetAndMetadata(0, "tally1 T=" + (p == 2 ? end - 1 : end) + " W=0 M=0")));
        StackFixtures.commit(kafka.bootstrap(), "caught-up", commits);
        final Run behind = verify("--wait", "--group", "caught-up", "--wait-timeout", "2s");
        assertThat(behind.code).isEqualTo(1);
        assertThat(behind.err).contains("behind: events-2 (T=" + (ends.get(2) - 1) + " < end " + ends.get(2) + ")")
            .doesNotContain("events-0", "events-1", "events-3");

        StackFixtures.commit(kafka.bootstrap(), "caught-up", Map.of(new TopicPartition(TOPIC, 2),
            new OffsetAndMetadata(0, "tally1 T=" + ends.get(2) + " W=0 M=0")));
        final Run run = verify("--wait", "--group", "caught-up", "--wait-timeout", "20s");
        assertThat(run.code).as(run.out).isZero();
        assertThat(run.err).contains("group caught-up has caught up on all 4 partitions");
        assertThat(run.out).contains("verify: EXACT MATCH (");
    }

    @Test
    @Order(6)
    void aHigherVersionWithAWrongCountIsNamedOnBothReadPaths()
    {
        final StackFixtures.Corruption row = StackFixtures.overwriteRollup(clickhouse.endpoint(), WindowRules.MINUTE, 1, 7);
        final Path file = dir.resolve("duplicates.properties");
        final Run run = verify("--summary", file.toString());
        assertThat(run.code).as(run.out).isEqualTo(3);
        final String diff = row.key() + ": expected count=" + row.count() + " sum=" + row.sum() + ", actual count=" +
            (row.count() + 7) + " sum=" + row.sum();
        final String totals =
            ": 0 missing, 0 extra, 1 different keys; 1 over-counted (duplicates), 0 under-counted (loss)";
        assertThat(run.out).contains("  diff [final-view] " + diff, "  diff [argmax-version] " + diff)
            .contains("verify: final-view" + totals, "verify: argmax-version" + totals)
            .containsPattern("(?m)^verify: MISMATCH \\(final-view: .*; argmax-version: .*\\)$");
        assertThat(summary(file)).containsEntry("exit", "3")
            .containsEntry("final-view.duplicates", "1").containsEntry("final-view.loss", "0")
            .containsEntry("argmax-version.duplicates", "1").containsEntry("argmax-version.loss", "0");
    }

    @Test
    @Order(7)
    void aDuplicateSideOutputEntryOfAnotherKindIsReported()
    {
        final SideKey copy = StackFixtures.duplicateLateEvent(clickhouse.endpoint());
        final Run run = verify();
        assertThat(run.code).isEqualTo(3);
        assertThat(run.out).contains("  diff [late_events] " + copy + ": expected none, actual late")
            .contains("verify: late_events: 0 missing, 1 extra, 0 with another reason, 0 duplicate keys after FINAL");
    }

    @Test
    @Order(8)
    void aForeignRecordFailsAgainstSeed()
    {
        final long[] offsets = StackFixtures.appendForeignRecords(kafka.bootstrap(), TOPIC);
        final Run run = verify("--against-seed", "--gen-flags", String.join(" ", GEN_FLAGS));
        assertThat(run.code).isEqualTo(3);
        assertThat(run.out)
            .contains("against-seed: 300002 records checked, 300000 equal the generator's, 2 differ")
            .contains("diff [against-seed] partition=0 offset=" + offsets[0] + ": no well-formed tally.idx")
            .contains("diff [against-seed] partition=0 offset=" + offsets[1] + ": value differs from generated event 5");
    }

    @Test
    @Order(9)
    void twoRowsWithTheSameVersionButDifferentContentAreAConflict()
    {
        final StackFixtures.Corruption row = StackFixtures.overwriteRollup(clickhouse.endpoint(), WindowRules.HOUR, 0,
            1);
        final Run run = verify();
        assertThat(run.code).isEqualTo(3);
        assertThat(run.out).contains("  diff [version-conflict] " + row.key() + " source_partition=" + row.partition() +
            " version=" + row.version() + ": 2 different rows").contains("verify: version conflicts: 1");
    }

    @Test
    @Order(10)
    void aHigherVersionWithTooFewEventsTurnsDuplicatesIntoLossOnBothReadPaths()
    {
        final Path before = dir.resolve("before.properties");
        final Path after = dir.resolve("loss.properties");
        assertThat(verify("--window", "minute", "--summary", before.toString()).code).isEqualTo(3);
        // the fullest minute row is still the one counting 7 events too many, from the test of order 6
        final StackFixtures.Corruption row = StackFixtures.overwriteRollup(clickhouse.endpoint(), WindowRules.MINUTE, 1,
            -10);
        final Run run = verify("--window", "minute", "--summary", after.toString());
        assertThat(run.code).as(run.out).isEqualTo(3);
        assertThat(run.out).contains("  diff [final-view] " + row.key() + ": expected count=" + (row.count() - 7));
        for (final String path : List.of("final-view", "argmax-version"))
        {
            assertThat(count(after, path + ".loss")).isEqualTo(count(before, path + ".loss") + 1);
            assertThat(count(after, path + ".duplicates")).isEqualTo(count(before, path + ".duplicates") - 1);
        }
    }

    private static long count(final Path file, final String key)
    {
        return Long.parseLong(summary(file).getProperty(key));
    }

    private static Properties summary(final Path file)
    {
        final Properties summary = new Properties();
        try (InputStream in = Files.newInputStream(file))
        {
            summary.load(in);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException(e);
        }
        return summary;
    }

    private static Run verify(final String... extra)
    {
        return verifyAt(clickhouse.endpoint(), extra);
    }

    private static Run verifyAt(final String clickhouseUrl, final String... extra)
    {
        final List<String> args = new ArrayList<>(List.of("--bootstrap", kafka.bootstrap(), "--clickhouse-url",
            clickhouseUrl));
        args.addAll(Arrays.asList(extra));
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final int code = VerifyMain.run(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), args.toArray(String[]::new));
        final Run run = new Run(code, out.toString(StandardCharsets.UTF_8), err.toString(StandardCharsets.UTF_8));
        System.out.println("$ verify " + String.join(" ", extra) + "  -> exit " + code + "\n" + run.out + run.err);
        return run;
    }

    record Run(int code, String out, String err)
    {
    }
}
