package dev.tally.stack;

import java.time.Duration;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

class PidsTest
{
    /** A JVM's classpath makes command lines long; the ownership marker may come after it and must still be seen. */
    @Test
    void commandLineIsReadWholeEvenWhenLong() throws Exception
    {
        final String longArg = "x".repeat(64 * 1024);
        final Process p = new ProcessBuilder("bash", "-c", "sleep 30; true", longArg, "marker-at-the-end").start();
        try
        {
            assertThat(Pids.commandLine(p.pid())).hasValueSatisfying(cmd -> assertThat(cmd).endsWith("marker-at-the-end"));
        }
        finally
        {
            Pids.stop(p.pid(), Duration.ofSeconds(5));
        }
        assertThat(Pids.alive(p.pid())).isFalse();
        assertThat(Pids.commandLine(p.pid())).isEmpty();
    }
}
