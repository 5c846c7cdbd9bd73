package dev.tally.engine;

import dev.tally.engine.latency.LatencyRecorders;
import dev.tally.gen.GenMain;
import dev.tally.stack.kafka.LocalKafka;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The whole engine on the local stack: 2M generated events (out of order, late within and beyond the allowed
 * lateness, JSON and malformed ones among them) through {@code run --stop-at-end}, then the rollup views and the
 * side-output table compared exactly with a plain-maps reference computed from the topic itself.
 */
class EngineEndToEndTest
{
    private static final int EVENTS = 2_000_000;
    private static final int PARTITIONS = 4;
    private static final String TOPIC = "events";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;

    private static StackFixture stack;
    private static LocalKafka kafka;

    @BeforeAll
    static void startStack()
    {
        stack = StackFixture.start(dir);
        kafka = stack.kafka;
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
    void rollupsAndSideOutputEqualTheReferenceExactly() throws Exception
    {
        assertThat(GenMain.run("--bootstrap", kafka.bootstrap(), "--topic", TOPIC, "--partitions",
            Integer.toString(PARTITIONS), "--events", Integer.toString(EVENTS), "--rate", "0", "--time-rate", "2000",
            "--accounts", "100000", "--seed", "42", "--event-time-start", "2026-01-01T00:00:00Z",
            "--late-fraction", "0.02", "--json-fraction", "0.05", "--malformed-fraction", "0.001",
            "--progress-interval", "1h")).isZero();

        final EngineConfig config = stack.catchUp(TOPIC, 50_000);
        final Engine engine = Engine.start(config);
        try (engine)
        {
            assertThat(engine.awaitFinished(Duration.ofMinutes(4))).as("engine finished, failure: %s", engine.failure())
                .isTrue();
            assertThat(engine.counters().recordsIn.get()).isEqualTo(EVENTS);
        }
        // Closed: the reporter took its last interval. Every record (late and malformed too) has a latency, each part.
        for (int part = 0; part < LatencyRecorders.PARTS.length; part++)
        {
            assertThat(engine.reporter().cumulativeCount(part)).as("records with a %s latency",
                LatencyRecorders.PARTS[part]).isEqualTo(EVENTS);
        }

        final Set<ExactCheck.Side> side = stack.exactCheck(TOPIC, PARTITIONS)
            .assertExact(true);
        assertThat(side.stream().filter(s -> s.reason().equals("late")).count()).as("late records exercised")
            .isGreaterThan(1000);
        assertThat(side.stream().filter(s -> s.reason().equals("malformed")).count()).isGreaterThan(100);
    }
}
