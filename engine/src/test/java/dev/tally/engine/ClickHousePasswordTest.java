package dev.tally.engine;

import dev.tally.gen.GenMain;
import dev.tally.stack.clickhouse.LocalClickHouse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

import com.clickhouse.client.api.Client;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * The engine against a ClickHouse server whose only user has a password, as in deploy/docker-compose.yml: with the
 * password (set directly, or read from {@code --clickhouse-password-file}) every event lands; with a wrong one the
 * start ends in one line that says where the password comes from, and never shows it.
 */
class ClickHousePasswordTest
{
    private static final String USER = "tally";
    private static final String PASSWORD = "correct horse battery staple";
    private static final String TOPIC = "events";
    private static final int EVENTS = 20_000;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;

    private static StackFixture stack;

    @BeforeAll
    static void startStack()
    {
        stack = StackFixture.start(dir, LocalClickHouse.Options.defaults().withCredentials(USER, PASSWORD));
        // No late, malformed or JSON events: every event is counted once in its minute window.
        assertThat(GenMain.run("--bootstrap", stack.kafka.bootstrap(), "--topic", TOPIC, "--partitions", "2",
            "--events", Integer.toString(EVENTS), "--rate", "0", "--time-rate", "2000", "--seed", "7",
            "--event-time-start", "2026-01-01T00:00:00Z", "--late-fraction", "0", "--json-fraction", "0",
            "--malformed-fraction", "0", "--progress-interval", "1h")).isZero();
    }

    @AfterAll
    static void stopStack()
    {
        if (stack != null)
        {
            stack.close();
        }
    }

    @Test
    void withThePasswordEveryEventLands() throws Exception
    {
        final EngineConfig config = stack.catchUp(TOPIC, 5_000);
        config.clickhouseUser = USER;
        config.clickhousePassword = PASSWORD;
        try (Engine engine = Engine.start(config))
        {
            assertThat(engine.awaitFinished(Duration.ofMinutes(2))).as("finished, failure: %s", engine.failure())
                .isTrue();
            assertThat(engine.counters().rowsInserted.get()).isPositive();
        }
        assertThat(eventsCounted("tally")).isEqualTo(EVENTS);
    }

    @Test
    void aWrongPasswordIsOneLineThatSaysWhereThePasswordComesFrom()
    {
        final EngineConfig config = stack.catchUp(TOPIC, 5_000);
        config.clickhouseUser = USER;
        config.clickhousePassword = "Tr0ub4dor&3";
        config.database = "tally_wrong";
        config.journalDir = dir.resolve("journal-wrong");

        assertThatThrownBy(() -> Engine.start(config)).isInstanceOf(EngineException.class)
            .satisfies(e -> assertThat(e.getMessage()).doesNotContain("\n").doesNotContain("Tr0ub4dor")
                .contains(stack.clickhouse.endpoint()).contains("user " + USER)
                .contains("TALLY_CLICKHOUSE_PASSWORD").contains("--clickhouse-password-file")
                .contains("--clickhouse-user"));
    }

    @Test
    void runReadsThePasswordFileAndRejectsAWrongOneInOneLine() throws Exception
    {
        final Path right = Files.writeString(dir.resolve("password"), PASSWORD + "\n");
        final Path wrong = Files.writeString(dir.resolve("wrong-password"), "not it\n");
        final ByteArrayOutputStream err = new ByteArrayOutputStream();
        final PrintStream errStream = new PrintStream(err, true, StandardCharsets.UTF_8);
        final PrintStream out = new PrintStream(new ByteArrayOutputStream(), true, StandardCharsets.UTF_8);

        assertThat(RunMain.run(out, errStream, runFlags("tally_run_wrong", wrong))).isEqualTo(1);
        assertThat(err.toString(StandardCharsets.UTF_8).lines().toList()).singleElement()
            .satisfies(l -> assertThat(l).startsWith("tally run: ").contains("--clickhouse-password-file")
                .doesNotContain("not it"));

        assertThat(RunMain.run(out, errStream, runFlags("tally_run", right))).isZero();
        assertThat(eventsCounted("tally_run")).isEqualTo(EVENTS);
    }

    private static String[] runFlags(final String database, final Path passwordFile)
    {
        return new String[] {"--bootstrap", stack.kafka.bootstrap(), "--topic", TOPIC, "--group", database,
            "--clickhouse-url", stack.clickhouse.endpoint(), "--clickhouse-user", USER,
            "--clickhouse-password-file", passwordFile.toString(), "--database", database, "--dlq-topic", "",
            "--journal-dir", dir.resolve("journal-" + database).toString(),
            "--latency-dir", dir.resolve("latency-" + database).toString(), "--metrics-address", "off",
            "--emit-interval", "200ms", "--stop-at-end"};
    }

    /** Events in the minute rollups of {@code database}, read as the password-protected user. */
    private static long eventsCounted(final String database)
    {
        try (Client client = new Client.Builder().addEndpoint(stack.clickhouse.endpoint())
            .setUsername(USER).setPassword(PASSWORD).build())
        {
            return client.queryAll("SELECT sum(event_count) FROM " + database + ".rollup_minute_final")
                .getFirst().getLong(1);
        }
    }
}
