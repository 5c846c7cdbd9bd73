package dev.tally.stack;

import java.nio.file.Path;

/**
 * One process of the local stack as recorded in the state file: enough to report on it and to stop exactly it.
 *
 * @param name     unique in the stack, e.g. {@code kafka-1}, {@code clickhouse}
 * @param pid      the process id we started
 * @param port     the main port it serves on 127.0.0.1
 * @param endpoint what clients connect to, e.g. {@code 127.0.0.1:19092} or {@code http://127.0.0.1:18123}
 * @param dataDir  where it keeps its data
 * @param log      its stdout/stderr
 */
public record ServiceProcess(String name, long pid, int port, String endpoint, Path dataDir, Path log)
{
    /** A JVM flag naming the service on its command line, so a recorded pid is only signalled while it is ours. */
    public static String marker(final String name)
    {
        return "-Dtally.service=" + name;
    }

    public boolean alive()
    {
        return Pids.alive(pid);
    }

    /** Alive and still the process we started: its command line carries our marker or our data directory. */
    public boolean ours()
    {
        return Pids.commandLine(pid)
            .map(cmd -> cmd.contains(marker(name)) || cmd.contains(dataDir.toString()))
            .orElse(false);
    }
}
