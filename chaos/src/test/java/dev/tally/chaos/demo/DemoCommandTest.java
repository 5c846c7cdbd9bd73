package dev.tally.chaos.demo;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.CleanupMode;
import org.junit.jupiter.api.io.TempDir;

import dev.tally.stack.JvmProcess;
import dev.tally.stack.LocalStack;
import dev.tally.stack.Pids;
import dev.tally.stack.StackState;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./tally demo} as a user runs it, only smaller: DemoMain in a JVM of its own (the launcher would rebuild
 * the jars under a running {@code mvn verify}; CI runs {@code ./tally demo} itself after the suite, see .ci/run),
 * with a stack folder of its own on free ports so a developer's stack is never touched, and {@code --down}.
 * It must exit 0 with the exactly-once verdict, and every process it started (collected by pid while it runs)
 * must be gone afterwards.
 */
class DemoCommandTest
{
    @TempDir(cleanup = CleanupMode.ON_SUCCESS)
    Path dir;

    @Test
    void theDemoEndsExactAndLeavesNoProcessBehind() throws Exception
    {
        final Path log = dir.resolve("demo.out");
        final Process demo = JvmProcess.of(DemoMain.class.getName())
            .args("--events", "200000", "--rate", "20000", "--down", "--stack-dir", dir.resolve("var").toString())
            .log(log).start();
        final Set<Long> started = new TreeSet<>();
        try
        {
            final long deadline = System.nanoTime() + TimeUnit.MINUTES.toNanos(10);
            while (demo.isAlive() && System.nanoTime() < deadline)
            {
                demo.descendants().forEach(p -> started.add(p.pid()));
                TimeUnit.MILLISECONDS.sleep(200);
            }
        }
        finally
        {
            if (demo.isAlive())
            {
                Pids.stop(demo.pid(), java.time.Duration.ofSeconds(30));
                LocalStack.down(dir.resolve("var"), System.out);
            }
        }
        final String output = Files.readString(log, StandardCharsets.UTF_8);
        System.out.println(output);

        assertThat(demo.exitValue()).as(output).isZero();
        assertThat(output).contains(DemoReport.VERDICT + "EXACT MATCH");
        assertThat(output).contains("re-sent 1 journaled batch(es)").contains("lose_ack_fired=1")
            .contains("stalled_now=1");
        assertThat(started).as("the engine, a broker and ClickHouse, at least").hasSizeGreaterThanOrEqualTo(3);
        assertThat(started.stream().filter(Pids::alive).toList()).as("processes the demo started, still alive")
            .isEmpty();
        assertThat(StackState.read(dir.resolve("var"))).as("the stack's state after --down").isEmpty();
    }
}
