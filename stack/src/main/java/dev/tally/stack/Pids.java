package dev.tally.stack;

import java.time.Duration;
import java.util.Optional;

/** Signals and waits by pid, for processes this stack started (possibly in an earlier ./tally invocation). */
public final class Pids
{
    private Pids()
    {
    }

    public static boolean alive(final long pid)
    {
        return ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false);
    }

    /**
     * The whole command line of a live pid (arguments joined by spaces), to check a recorded pid still belongs to the
     * process we started. Read from /proc, because {@code ProcessHandle.Info} cuts long command lines (a JVM's
     * classpath) short.
     */
    public static Optional<String> commandLine(final long pid)
    {
        try
        {
            final byte[] raw = java.nio.file.Files.readAllBytes(java.nio.file.Path.of("/proc", Long.toString(pid), "cmdline"));
            if (raw.length > 0)
            {
                return Optional.of(new String(raw, java.nio.charset.StandardCharsets.UTF_8).replace('\0', ' ').trim());
            }
        }
        catch (final java.io.IOException e)
        {
            // Not Linux, or the pid is gone: fall back to what the JDK can tell.
        }
        return ProcessHandle.of(pid).flatMap(h -> h.info().commandLine());
    }

    /** SIGKILL, then wait until the pid is gone. */
    public static void kill9(final long pid)
    {
        ProcessHandle.of(pid).ifPresent(h ->
        {
            h.destroyForcibly();
            awaitExit(h, Duration.ofSeconds(30));
        });
    }

    /** SIGTERM, wait up to {@code grace}, then SIGKILL. Returns true when the process stopped on SIGTERM. */
    public static boolean stop(final long pid, final Duration grace)
    {
        final Optional<ProcessHandle> handle = ProcessHandle.of(pid);
        if (handle.isEmpty() || !handle.get().isAlive())
        {
            return true;
        }
        final ProcessHandle h = handle.get();
        h.destroy();
        if (awaitExit(h, grace))
        {
            return true;
        }
        h.destroyForcibly();
        awaitExit(h, Duration.ofSeconds(30));
        return false;
    }

    /** SIGTERM to all at once (a cluster shuts down together), wait up to {@code grace}, then SIGKILL the rest. */
    public static void stopAll(final long[] pids, final Duration grace)
    {
        final java.util.List<ProcessHandle> handles = new java.util.ArrayList<>();
        for (final long pid : pids)
        {
            ProcessHandle.of(pid).filter(ProcessHandle::isAlive).ifPresent(handles::add);
        }
        handles.forEach(ProcessHandle::destroy);
        final long deadline = System.nanoTime() + grace.toNanos();
        for (final ProcessHandle h : handles)
        {
            final long left = Math.max(0, deadline - System.nanoTime());
            if (!awaitExit(h, Duration.ofNanos(left)))
            {
                h.destroyForcibly();
                awaitExit(h, Duration.ofSeconds(30));
            }
        }
    }

    private static boolean awaitExit(final ProcessHandle h, final Duration timeout)
    {
        final long deadline = System.nanoTime() + timeout.toNanos();
        while (h.isAlive())
        {
            if (System.nanoTime() > deadline)
            {
                return false;
            }
            try
            {
                Thread.sleep(20);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                return !h.isAlive();
            }
        }
        return true;
    }
}
