package dev.tally.peers;

import java.time.Duration;
import java.time.Instant;

/**
 * Wall time of this whole process, from the moment the operating system started it (JVM start-up, class loading
 * and connecting included), so each contender's "whole process" figure is measured the same way as the script's
 * own stopwatch around {@code ./tally run}.
 */
public final class ProcessClock
{
    private final Instant start;

    /** Reads the process start time now; falls back to the time of this call if the platform does not say. */
    public ProcessClock()
    {
        this.start = ProcessHandle.current().info().startInstant().orElseGet(Instant::now);
    }

    /** @return seconds since the process started. */
    public double seconds()
    {
        return Duration.between(start, Instant.now()).toNanos() / 1e9;
    }
}
