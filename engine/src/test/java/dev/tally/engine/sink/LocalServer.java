package dev.tally.engine.sink;

import java.nio.file.Path;
import java.time.temporal.ChronoUnit;

import com.clickhouse.client.api.Client;
import dev.tally.stack.Ports;
import dev.tally.stack.ServiceProcess;
import dev.tally.stack.clickhouse.LocalClickHouse;

/**
 * A local ClickHouse server on a free loopback port for one test class, and a client-v2 client for it that never
 * retries on its own (a test must see every failure). Closing stops the client, then the server by its pid.
 */
final class LocalServer implements AutoCloseable
{
    final ServiceProcess process;
    final Client client;

    private LocalServer(final ServiceProcess process, final Client client)
    {
        this.process = process;
        this.client = client;
    }

    /** Starts a server named {@code name} with its data and log under {@code dir}. */
    static LocalServer start(final String name, final Path dir, final LocalClickHouse.Options options)
    {
        final ServiceProcess process = LocalClickHouse.start(name, Ports.freePort(), dir.resolve("data"),
            dir.resolve("clickhouse.log"), options);
        return new LocalServer(process, new Client.Builder().addEndpoint(process.endpoint()).setUsername("default")
            .setPassword("").setMaxRetries(0).setSocketTimeout(60, ChronoUnit.SECONDS).build());
    }

    @Override
    public void close()
    {
        try
        {
            client.close();
        }
        finally
        {
            LocalClickHouse.stop(process);
        }
    }
}
