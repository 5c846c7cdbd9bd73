package dev.tally.stack;

import dev.tally.stack.clickhouse.LocalClickHouse;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Optional;

/** The ClickHouse half of the stack: the local server on var/clickhouse, or nothing when the user brings a URL. */
final class ClickHouseService
{
    static final String NAME = "clickhouse";

    private ClickHouseService()
    {
    }

    /** Starts the local server unless {@code --clickhouse-url} names one; empty when nothing was started. */
    static Optional<ServiceProcess> start(final Path varDir, final StackOptions options, final PrintStream out)
    {
        if (options.clickhouseUrl != null)
        {
            out.println("clickhouse: using " + options.clickhouseUrl + " (not started by the stack)");
            return Optional.empty();
        }
        final LocalClickHouse.Options d = LocalClickHouse.Options.defaults();
        final LocalClickHouse.Options o = new LocalClickHouse.Options(d.user(), d.password(), options.faultInjection,
            options.clickhouseHeap);
        final Path dir = varDir.resolve("clickhouse");
        return Optional.of(LocalClickHouse.start(NAME, options.clickhousePort, dir.resolve("data"),
            dir.resolve("server.log"), o));
    }

    static boolean healthy(final ServiceProcess p)
    {
        return LocalClickHouse.ping(p.port());
    }
}
