package dev.tally.stack;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;

/** The ClickHouse half of the stack. Until the local server lands, only a user-supplied server is supported. */
final class ClickHouseService
{
    private ClickHouseService()
    {
    }

    static Optional<ServiceProcess> start(final Path varDir, final StackOptions options, final PrintStream out)
    {
        if (options.clickhouseUrl != null)
        {
            out.println("clickhouse: using " + options.clickhouseUrl + " (not started by the stack)");
            return Optional.empty();
        }
        throw new StackException("this build has no local ClickHouse server yet; pass --clickhouse-url http://HOST:8123");
    }

    static boolean healthy(final ServiceProcess p)
    {
        return Ports.accepts(p.port());
    }
}
