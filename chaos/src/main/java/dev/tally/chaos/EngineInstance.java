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
 * killed with SIGKILL, restarted, stopped with SIGTERM. Each start appends to the same log. Public for
 * {@code ./tally demo}.
 */
public final class EngineInstance
{
    static final String MAIN_CLASS = "dev.tally.engine.RunMain";

    private final String name;
    private final List<String> args;
    private final Path log;
    private final Path journalDir;
    private final Path latencyDir;
    private Process process;
    private int starts;

    public EngineInstance(final String name, final List<String> commonArgs, final Path dir)
    {
        this.name = name;
        this.log = dir.resolve(name + ".log");
        this.journalDir = dir.resolve("journal-" + name);
        this.latencyDir = dir.resolve("latency-" + name);
        this.args = new ArrayList<>(commonArgs);
        this.args.addAll(List.of("--journal-dir", journalDir.toString(), "--latency-dir", latencyDir.toString()));
    }

    public String name()
    {
        return name;
    }

    public Path log()
    {
        return log;
    }

    public Path journalDir()
    {
        return journalDir;
    }

    /** Where each start of this instance writes its latency interval log and percentiles. */
    public Path latencyDir()
    {
        return latencyDir;
    }

    public int starts()
    {
        return starts;
    }

    public boolean alive()
    {
        return process != null && process.isAlive();
    }

    public void start()
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

    /** The pid of the latest start, or -1 before the first. */
    public long pid()
    {
        return process == null ? -1 : process.pid();
    }

    /** SIGKILL, waiting until the pid is gone. */
    public void kill9()
    {
        if (process != null)
        {
            Pids.kill9(process.pid());
        }
    }

    /** SIGTERM with a grace period, then SIGKILL. */
    public void stop()
    {
        if (process != null && process.isAlive())
        {
            Pids.stop(process.pid(), Duration.ofSeconds(15));
        }
    }

    /** The exit status once the process has ended, or -1 while it runs or before it started. */
    public int exitStatus()
    {
        return process == null || process.isAlive() ? -1 : process.exitValue();
    }
}
