package dev.tally.verify.eos;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.TimeUnit;

import dev.tally.engine.sink.CrashPoint;
import dev.tally.gen.GenMain;
import dev.tally.stack.JvmProcess;
import dev.tally.stack.Pids;
import dev.tally.stack.Ports;
import dev.tally.stack.ServiceProcess;
import dev.tally.stack.clickhouse.LocalClickHouse;
import dev.tally.stack.kafka.LocalKafka;
import dev.tally.verify.VerifyMain;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The local stack for the exactly-once tests, and the three commands they drive: {@code gen} (in process),
 * {@code run} (the engine as a process of its own, so it can be killed, halted at a crash point or stopped) and
 * {@code verify} (in process; independent of the engine). A scenario {@code id} reading {@code topic} has its own
 * group {@code g_<id>} and database {@code d_<id>}, and each engine run its own journal, so scenarios sharing one
 * stack cannot see each other's data.
 */
final class EosStack implements AutoCloseable
{
    static final int PARTITIONS = 4;

    final Path dir;
    final LocalKafka kafka;
    final ServiceProcess clickhouse;

    private EosStack(final Path dir, final LocalKafka kafka, final ServiceProcess clickhouse)
    {
        this.dir = dir;
        this.kafka = kafka;
        this.clickhouse = clickhouse;
    }

    static EosStack start(final Path dir)
    {
        final LocalKafka kafka = LocalKafka.start(1, dir.resolve("kafka"));
        try
        {
            return new EosStack(dir, kafka, LocalClickHouse.start("clickhouse-" + dir.getFileName(),
                Ports.freePort(), dir.resolve("ch"), dir.resolve("ch.log"), LocalClickHouse.Options.defaults()));
        }
        catch (final RuntimeException e)
        {
            kafka.close();
            throw e;
        }
    }

    /** Produces {@code events} seeded events into topic {@code name}, at {@code rate}/s (0: as fast as it can). */
    void generate(final String name, final int partitions, final int events, final int rate)
    {
        assertThat(GenMain.run("--bootstrap", kafka.bootstrap(), "--topic", name, "--partitions",
            Integer.toString(partitions), "--events", Integer.toString(events), "--rate", Integer.toString(rate),
            "--time-rate", "2000", "--accounts", "20000", "--seed", Integer.toString(name.hashCode() & 0xFFFF),
            "--late-fraction", "0.02", "--malformed-fraction", "0.001", "--json-fraction", "0.05",
            "--progress-interval", "1h")).as("gen exit code").isZero();
    }

    /** The engine of scenario {@code id} on {@code topic}, journaling into {@code journal}, with {@code extra} flags. */
    Process engine(final String topic, final String id, final String journal, final String log,
        final String... extra) throws IOException
    {
        final List<String> args = new ArrayList<>(List.of("--bootstrap", kafka.bootstrap(), "--topic", topic,
            "--group", "g_" + id, "--database", "d_" + id, "--clickhouse-url", clickhouse.endpoint(),
            "--journal-dir", dir.resolve("journal-" + journal).toString(), "--dlq-topic", "",
            "--emit-interval", "200ms", "--batch-rows", "5000", "--batch-max-wait", "200ms",
            "--session-timeout", "6s", "--metrics-address", "127.0.0.1:0",
            "--latency-dir", dir.resolve("latency-" + journal).toString()));
        args.addAll(Arrays.asList(extra));
        return JvmProcess.of("dev.tally.engine.RunMain")
            .heap("384m")
            .environment(env -> env.put(CrashPoint.ENABLE_VARIABLE, "1"))
            .args(args.toArray(String[]::new))
            .log(dir.resolve(log + ".log"))
            .start();
    }

    /** Runs the engine to its end (stop-at-end, or a crash point) and returns its exit status. */
    int runToExit(final String topic, final String id, final String log, final String... extra) throws Exception
    {
        final Process p = engine(topic, id, id, log, extra);
        if (!p.waitFor(3, TimeUnit.MINUTES))
        {
            Pids.kill9(p.pid());
            throw new AssertionError("engine " + log + " did not exit within 3 minutes; see " + log(log));
        }
        return p.exitValue();
    }

    /** The engine's log so far. */
    String log(final String log) throws IOException
    {
        return Files.readString(dir.resolve(log + ".log"), StandardCharsets.UTF_8);
    }

    /** {@code ./tally verify} of scenario {@code id} on {@code topic}; returns its exit status and report. */
    Verdict verify(final String topic, final String id, final String... extra)
    {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final List<String> args = new ArrayList<>(List.of("--bootstrap", kafka.bootstrap(), "--topic", topic,
            "--group", "g_" + id, "--database", "d_" + id, "--clickhouse-url", clickhouse.endpoint(),
            "--max-diff", "5"));
        args.addAll(Arrays.asList(extra));
        final int exit;
        try (PrintStream ps = new PrintStream(out, true, StandardCharsets.UTF_8))
        {
            exit = VerifyMain.run(ps, ps, args.toArray(String[]::new));
        }
        final String report = out.toString(StandardCharsets.UTF_8);
        System.out.println(report);
        return new Verdict(exit, report);
    }

    /** Sends {@code SIGSTOP}, {@code SIGCONT} or another signal (its name without SIG) to {@code pid}. */
    static void signal(final long pid, final String signal)
    {
        try
        {
            final int exit = new ProcessBuilder("kill", "-" + signal, Long.toString(pid)).start().waitFor();
            assertThat(exit).as("kill -%s %d", signal, pid).isZero();
        }
        catch (final IOException e)
        {
            throw new AssertionError("cannot send SIG" + signal + " to " + pid, e);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new AssertionError("interrupted sending SIG" + signal + " to " + pid, e);
        }
    }

    record Verdict(int exit, String report)
    {
    }

    @Override
    public void close()
    {
        try
        {
            LocalClickHouse.stop(clickhouse);
        }
        finally
        {
            kafka.close();
        }
    }
}
