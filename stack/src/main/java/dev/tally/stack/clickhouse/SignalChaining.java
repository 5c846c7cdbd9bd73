package dev.tally.stack.clickhouse;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Keeps the JVM's signal handlers in charge in a process that loads chDB.
 * <p>
 * HotSpot relies on SIGSEGV, SIGBUS, SIGFPE and SIGILL (implicit null checks, safepoint polls). chDB replaces those
 * handlers when it connects, and {@code chdb_set_signal_handlers_enabled(false)} resets them to the default action;
 * either way the next null check in compiled Java code kills the process. The JDK's {@code libjsig.so}, preloaded,
 * intercepts {@code sigaction} so the JVM's handlers stay installed and anything chDB installs is chained behind them.
 */
final class SignalChaining
{
    private static final String LD_PRELOAD = "LD_PRELOAD";

    private SignalChaining()
    {
    }

    /** The {@code libjsig.so} of the running JDK, which children started with the same java binary match. */
    static Path library()
    {
        return Path.of(System.getProperty("java.home"), "lib", "libjsig.so");
    }

    /** Adds {@code libjsig.so} to {@code LD_PRELOAD} in a child's environment. */
    static void preload(final Map<String, String> environment)
    {
        final Path jsig = library();
        if (!Files.isRegularFile(jsig))
        {
            throw new IllegalStateException("the JDK at " + System.getProperty("java.home") +
                " has no lib/libjsig.so, which the local ClickHouse server needs for signal chaining");
        }
        final String existing = environment.get(LD_PRELOAD);
        environment.put(LD_PRELOAD, existing == null || existing.isBlank() ? jsig.toString() : jsig + ":" + existing);
    }

    /** True when this process was started with {@code libjsig.so} preloaded. */
    static boolean active()
    {
        final String preload = System.getenv(LD_PRELOAD);
        return preload != null && preload.contains("libjsig");
    }
}
