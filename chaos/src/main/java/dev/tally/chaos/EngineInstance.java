package dev.tally.chaos;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

import dev.tally.stack.JvmProcess;
import dev.tally.stack.Pids;

/**
 * One engine instance ({@code ./tally run} as a process of its own) with a fixed journal directory and log: started,
 * killed with SIGKILL, restarted, stopped with SIGTERM. Each start appends to the same log.
 */
final class EngineInstance
{
    static final String MAIN_CLASS = "dev.tally.engine.RunMain";

    private final String name;
    private final List<String> args;
    private final Path log;
    private Process process;
    private int starts;

    EngineInstance(final String name, final List<String> commonArgs, final Path dir)
    {
        this.name = name;
        this.log = dir.resolve(name + ".log");
        this.args = new ArrayList<>(commonArgs);
        this.args.addAll(List.of("--journal-dir", dir.resolve("journal-" + name).toString(),
            "--latency-dir", dir.resolve("latency-" + name).toString()));
    }

    String name()
    {
        return name;
    }

    Path log()
    {
        return log;
    }

    int starts()
    {
        return starts;
    }

    boolean alive()
    {
        return process != null && process.isAlive();
    }

    void start()
    {
        try
        {
            process = JvmProcess.of(MAIN_CLASS).heap("512m").args(args.toArray(String[]::new)).log(log).start();
            starts++;
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot start engine " + name, e);
        }
    }

    /** SIGKILL, waiting until the pid is gone. */
    void kill9()
    {
        if (process != null)
        {
            Pids.kill9(process.pid());
        }
    }

    /** SIGTERM with a grace period, then SIGKILL. */
    void stop()
    {
        if (process != null && process.isAlive())
        {
            Pids.stop(process.pid(), Duration.ofSeconds(15));
        }
    }

    /** The exit status once the process has ended, or -1 while it runs or before it started. */
    int exitStatus()
    {
        return process == null || process.isAlive() ? -1 : process.exitValue();
    }
}
