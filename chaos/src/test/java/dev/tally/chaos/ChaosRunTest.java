package dev.tally.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The CI-sized chaos run: 1M events at 50,000/s through a fresh local stack while the engine is killed four times
 * (once more during a recovery), 30 % of the inserts fail in one of three ways, ClickHouse is killed and
 * restarted, and a second instance joins and leaves. verify must then find no duplicate and no loss.
 */
class ChaosRunTest
{
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void killsInsertFaultsAClickHouseRestartAndARebalanceLeaveTheNumbersExact() throws Exception
    {
        final ChaosSettings settings = new ChaosSettings(
            EnumSet.of(Scenario.KILLS, Scenario.INSERT_FAULTS, Scenario.CLICKHOUSE_RESTART, Scenario.REBALANCE),
            1_000_000, 50_000, 8, 4, 0.3, 1, 1, 7, dir, Duration.ofSeconds(2));
        final ChaosReport report = new ChaosRun(settings, System.out).run();
        System.out.print(report.text());

        assertThat(report.faultCount()).as("kills (one repeated), a ClickHouse restart, a rebalance").isEqualTo(7);
        assertThat(report.insertFaultsFired()).as("insert faults fired").isPositive();
        assertThat(report.verifyExit()).as(report.text()).isZero();
        assertThat(report.duplicates()).isZero();
        assertThat(report.loss()).isZero();
        final String[] late = report.sideOutput("late").split(" / ");
        assertThat(late[1]).isEqualTo(late[0]);
        assertThat(report.exact()).isTrue();
    }
}
