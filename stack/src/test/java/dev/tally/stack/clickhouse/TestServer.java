package dev.tally.stack.clickhouse;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.temporal.ChronoUnit;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.function.UnaryOperator;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.query.GenericRecord;

import dev.tally.stack.Ports;
import dev.tally.stack.ServiceProcess;

/** A local ClickHouse server on a fresh port and directory for one test class, stopped by pid on close. */
final class TestServer implements AutoCloseable
{
    private final LocalClickHouse.Options options;
    private ServiceProcess process;

    private TestServer(final ServiceProcess process, final LocalClickHouse.Options options)
    {
        this.process = process;
        this.options = options;
    }

    static TestServer start(final Path dir, final LocalClickHouse.Options options)
    {
        final int port = Ports.freePort();
        return new TestServer(
            LocalClickHouse.start("clickhouse-test", port, dir.resolve("data"), dir.resolve("clickhouse.log"), options),
            options);
    }

    int port()
    {
        return process.port();
    }

    ServiceProcess process()
    {
        return process;
    }

    void restart()
    {
        process = LocalClickHouse.restart(process, options);
    }

    /** A client as the engine builds one: client-v2 defaults, this server's endpoint and credentials. */
    Client client()
    {
        return client(b -> b);
    }

    Client client(final UnaryOperator<Client.Builder> customise)
    {
        final Client.Builder builder = new Client.Builder()
            .addEndpoint("http://127.0.0.1:" + port())
            .setUsername(options.user())
            .setPassword(options.password())
            .setSocketTimeout(60, ChronoUnit.SECONDS);
        return customise.apply(builder).build();
    }

    static void execute(final Client client, final String sql) throws Exception
    {
        client.execute(sql).get(60, TimeUnit.SECONDS).close();
    }

    static long scalar(final Client client, final String sql)
    {
        final List<GenericRecord> rows = client.queryAll(sql);
        return rows.getFirst().getLong(1);
    }

    @Override
    public void close()
    {
        if (process != null)
        {
            final boolean crashed = !process.alive();
            LocalClickHouse.stop(process);
            if (crashed)
            {
                // The test output file then shows why the server went away.
                System.err.println("ClickHouse server had died; its log " + process.log() + " ends with:");
                try
                {
                    final List<String> lines = Files.readAllLines(process.log());
                    lines.subList(Math.max(0, lines.size() - 40), lines.size()).forEach(System.err::println);
                }
                catch (final IOException e)
                {
                    System.err.println("(unreadable: " + e + ")");
                }
            }
        }
    }
}
