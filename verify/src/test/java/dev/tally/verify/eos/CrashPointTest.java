package dev.tally.verify.eos;

import java.nio.file.Path;

import dev.tally.engine.sink.CrashPoint;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The engine halted at each point of the commit protocol (prepare, mid-insert, ClickHouse ack, journal ack before
 * the Kafka commit, and during the recovery of the next start), then restarted to the end of the topic:
 * {@code ./tally verify} must find ClickHouse exactly equal to the topic's ground truth every time, and the
 * restart must have re-sent exactly the batch whose fate the halted run did not know.
 */
class CrashPointTest
{
    private static final int EVENTS = 100_000;

    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    static Path dir;
    private static EosStack stack;

    @BeforeAll
    static void startStack()
    {
        stack = EosStack.start(dir);
    }

    @AfterAll
    static void stopStack()
    {
        if (stack != null)
        {
            stack.close();
        }
    }

    @ParameterizedTest
    @EnumSource(CrashPoint.class)
    void haltedAtThePointThenRestartedIsExact(final CrashPoint point) throws Exception
    {
        final String id = "cp_" + point.name().toLowerCase(java.util.Locale.ROOT);
        stack.generate(id, EosStack.PARTITIONS, EVENTS, 0);
        if (point == CrashPoint.DURING_RECOVERY)
        {
            // Leave a batch ClickHouse has and the journal does not know of, then halt while re-sending it.
            assertThat(stack.runToExit(id, id, "run-1", "--stop-at-end", "--crash-at", "after-insert:3"))
                .isEqualTo(CrashPoint.EXIT_STATUS);
            assertThat(stack.runToExit(id, id, "run-2", "--stop-at-end", "--crash-at", "during-recovery"))
                .isEqualTo(CrashPoint.EXIT_STATUS);
        }
        else
        {
            assertThat(stack.runToExit(id, id, "run-1", "--stop-at-end", "--crash-at", point.flag() + ":3"))
                .as("halted at %s; see %s", point, stack.dir.resolve("run-1.log"))
                .isEqualTo(CrashPoint.EXIT_STATUS);
        }
        assertThat(stack.runToExit(id, id, "run-last", "--stop-at-end")).isZero();

        // Only after the journal ack is nothing left to re-send: the batch is known to have landed.
        final int resent = point == CrashPoint.AFTER_JOURNAL_ACK ? 0 : 1;
        assertThat(stack.log("run-last")).contains("; " + resent + " journaled batches of an earlier run re-sent");
        final EosStack.Verdict verdict = stack.verify(id, id, "--wait", "--wait-timeout", "2m");
        assertThat(verdict.exit()).as(verdict.report()).isZero();
        assertThat(verdict.report()).contains("EXACT MATCH");
    }
}
