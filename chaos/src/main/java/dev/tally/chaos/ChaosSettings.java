package dev.tally.chaos;

import java.nio.file.Path;
import java.time.Duration;
import java.util.Set;

/**
 * One chaos run, as {@code ./tally chaos} flags set it.
 *
 * @param scenarios          what to do to the pipeline
 * @param events             events the generator produces
 * @param rate               events per second, paced
 * @param partitions         partitions of the topic
 * @param kills              engine SIGKILLs (kills scenario); every third is followed by a kill during recovery
 * @param insertFailRate     fraction of inserts hit by a fault (insert-faults scenario), spread over three kinds
 * @param clickhouseRestarts ClickHouse kill-and-restarts (clickhouse-restart scenario)
 * @param rebalances         joins (and leaves) of a second engine instance (rebalance scenario)
 * @param seed               seed of the generator and of the fault schedule
 * @param dir                work directory: stack data, journals, logs, the verify summary
 * @param insertTimeout      the engine's insert timeout; slow inserts are delayed past it
 */
record ChaosSettings(Set<Scenario> scenarios, long events, int rate, int partitions, int kills,
    double insertFailRate, int clickhouseRestarts, int rebalances, long seed, Path dir, Duration insertTimeout)
{
    ChaosSettings
    {
        require(events >= 1_000, "--events must be at least 1000");
        require(rate >= 100, "--rate must be at least 100 events/s");
        require(partitions >= 1 && partitions <= 1024, "--partitions must be in [1, 1024]");
        require(kills >= 0 && clickhouseRestarts >= 0 && rebalances >= 0, "counts must not be negative");
        require(insertFailRate >= 0 && insertFailRate < 1, "--insert-fail-rate must be in [0, 1)");
        require(!scenarios.isEmpty(), "--scenario must name at least one scenario");
    }

    /** Seconds the generator needs at the paced rate: the window faults are scheduled in. */
    double flowSeconds()
    {
        return (double)events / rate;
    }

    boolean has(final Scenario scenario)
    {
        return scenarios.contains(scenario);
    }

    private static void require(final boolean condition, final String message)
    {
        if (!condition)
        {
            throw new IllegalArgumentException(message);
        }
    }
}
