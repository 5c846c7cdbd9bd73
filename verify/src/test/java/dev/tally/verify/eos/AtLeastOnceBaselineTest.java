package dev.tally.verify.eos;

import java.nio.file.Path;
import java.time.temporal.ChronoUnit;

import com.clickhouse.client.api.Client;
import dev.tally.engine.sink.CrashPoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The price-of-correctness baseline must really be wrong, or verify proves nothing: the same topic, the same halt
 * right after ClickHouse acknowledged the fifth insert, then a restart to the end, once in each mode. Exactly-once
 * verifies exact; at-least-once (positions committed on their own clock, plain inserts of deltas) counts the
 * records it had inserted but not committed a second time, and verify must say MISMATCH.
 */
class AtLeastOnceBaselineTest
{
    private static final String TOPIC = "baseline";

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;
    private static EosStack stack;

    @BeforeAll
    static void startStack()
    {
        stack = EosStack.start(dir);
        stack.generate(TOPIC, EosStack.PARTITIONS, 100_000, 0);
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
    void theSameHaltDoubleCountsInTheBaselineAndNotInExactlyOnce() throws Exception
    {
        for (final String mode : new String[] {"exactly-once", "at-least-once"})
        {
            final String id = mode.replace('-', '_');
            assertThat(stack.runToExit(TOPIC, id, id + "-1", "--eos-mode", mode, "--commit-interval", "1h",
                "--stop-at-end", "--crash-at", "after-insert:5")).isEqualTo(CrashPoint.EXIT_STATUS);
            assertThat(stack.runToExit(TOPIC, id, id + "-2", "--eos-mode", mode, "--stop-at-end")).isZero();
        }

        final EosStack.Verdict exact = stack.verify(TOPIC, "exactly_once");
        assertThat(exact.exit()).as(exact.report()).isZero();
        final EosStack.Verdict naive = stack.verify(TOPIC, "at_least_once");
        assertThat(naive.exit()).as(naive.report()).isEqualTo(3);
        assertThat(naive.report()).contains("MISMATCH");

        try (Client client = new Client.Builder().addEndpoint(stack.clickhouse.endpoint()).setUsername("default")
            .setPassword("").setSocketTimeout(60, ChronoUnit.SECONDS).build())
        {
            for (final String table : new String[] {"rollup_minute_final", "rollup_hour_final"})
            {
                final long truth = events(client, "d_exactly_once." + table);
                final long counted = events(client, "d_at_least_once." + table);
                assertThat(counted).as("%s: the baseline counted records twice", table).isGreaterThan(truth);
            }
        }
    }

    private static long events(final Client client, final String view)
    {
        return client.queryAll("SELECT toInt64(sum(event_count)) FROM " + view).getFirst().getLong(1);
    }
}
