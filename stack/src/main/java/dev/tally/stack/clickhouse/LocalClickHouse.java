package dev.tally.stack.clickhouse;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.Set;

import dev.tally.stack.JvmProcess;
import dev.tally.stack.Pids;
import dev.tally.stack.Ports;
import dev.tally.stack.ServiceProcess;
import dev.tally.stack.StackException;

/**
 * Starts, probes, stops and disturbs the local ClickHouse server: {@link ClickHouseServerMain} in a JVM of its own
 * (chDB behind ClickHouse's HTTP interface), or a real {@code clickhouse server} when one is installed.
 */
public final class LocalClickHouse
{
    public static final int DEFAULT_PORT = 18123;
    public static final String MAIN_CLASS = "dev.tally.stack.clickhouse.ClickHouseServerMain";
    private static final Duration STARTUP_TIMEOUT = Duration.ofSeconds(120);
    private static final Duration STOP_GRACE = Duration.ofSeconds(30);
    private static final HttpClient HTTP = HttpClient.newBuilder()
        .connectTimeout(Duration.ofSeconds(2))
        .version(HttpClient.Version.HTTP_1_1)
        .build();

    /**
     * How to run the server.
     *
     * @param user          the one user the server accepts
     * @param password      that user's password, empty for none
     * @param faultsEnabled serve the fault-injection endpoint (always the chDB server then)
     * @param heap          JVM heap of the chDB server, e.g. {@code 512m}; chDB's own memory is native
     */
    public record Options(String user, String password, boolean faultsEnabled, String heap)
    {
        public static Options defaults()
        {
            return new Options("default", "", false, "512m");
        }

        public Options withFaults()
        {
            return new Options(user, password, true, heap);
        }

        public Options withCredentials(final String user, final String password)
        {
            return new Options(user, password, faultsEnabled, heap);
        }
    }

    private LocalClickHouse()
    {
    }

    /**
     * Starts a server on 127.0.0.1:{@code port} keeping its data in {@code dataDir} and its output in {@code log},
     * and returns once {@code /ping} answers.
     *
     * @throws StackException with one line (the log's last) if the port is taken or the server does not come up
     */
    public static ServiceProcess start(final String name, final int port, final Path dataDir, final Path log,
        final Options o)
    {
        Ports.requireFree(port, "ClickHouse", "--clickhouse-port");
        final Path data = dataDir.toAbsolutePath();
        final Process process;
        try
        {
            Files.createDirectories(data);
            final Path binary = o.faultsEnabled() ? null : ClickHouseBinaryServer.find();
            process = binary != null ?
                ClickHouseBinaryServer.start(binary, port, data, log, o) : startChdbServer(port, data, log, o);
        }
        catch (final IOException e)
        {
            throw new StackException("cannot start ClickHouse: " + e.getMessage());
        }
        awaitReady(process, port, log);
        return new ServiceProcess(name, process.pid(), port, "http://" + Ports.LOOPBACK + ":" + port, data, log);
    }

    /** Stops {@code previous} if still alive and starts it again on the same port, data directory and log. */
    public static ServiceProcess restart(final ServiceProcess previous, final Options o)
    {
        stop(previous);
        return start(previous.name(), previous.port(), previous.dataDir(), previous.log(), o);
    }

    /** SIGTERM, then SIGKILL after a grace period; true when it stopped on SIGTERM. */
    public static boolean stop(final ServiceProcess server)
    {
        return Pids.stop(server.pid(), STOP_GRACE);
    }

    /** True when a ClickHouse HTTP interface on 127.0.0.1:{@code port} answers {@code /ping} with {@code Ok.}. */
    public static boolean ping(final int port)
    {
        try
        {
            final HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(uri(port, "/ping")).timeout(Duration.ofSeconds(2)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 && response.body().startsWith("Ok.");
        }
        catch (final IOException e)
        {
            return false;
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            return false;
        }
    }

    /** Arms {@code fault} for the next {@code count} inserts (server started with {@link Options#withFaults()}). */
    public static void injectFault(final int port, final Fault fault, final int count)
    {
        admin(port, "/tally/faults?fault=" + fault.wireName() + "&count=" + count);
    }

    /**
     * Hits a fraction {@code rate} of the later inserts (evenly spread) with {@code fault} until {@link #clearFaults};
     * {@code delay} is the sleep of {@link Fault#LATENCY}.
     */
    public static void injectFaultRate(final int port, final Fault fault, final double rate, final Duration delay)
    {
        admin(port, "/tally/faults?fault=" + fault.wireName() + "&rate=" + rate + "&millis=" + delay.toMillis());
    }

    /** Delays each of the next {@code count} inserts by {@code delay} before it is applied. */
    public static void injectLatency(final int port, final Duration delay, final int count)
    {
        admin(port, "/tally/faults?fault=" + Fault.LATENCY.wireName() + "&count=" + count + "&millis=" +
            delay.toMillis());
    }

    /** Disarms all faults and lets stalled inserts proceed. */
    public static void clearFaults(final int port)
    {
        admin(port, "/tally/faults/clear");
    }

    /** The server's counters as {@code key=value} lines, e.g. {@code lose_ack_fired=1}. */
    public static String status(final int port)
    {
        try
        {
            final HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(uri(port, "/tally/status")).timeout(Duration.ofSeconds(10)).GET().build(),
                HttpResponse.BodyHandlers.ofString());
            return response.body();
        }
        catch (final IOException e)
        {
            throw new StackException("ClickHouse on port " + port + " does not answer /tally/status: " + e);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while asking ClickHouse on port " + port + " for /tally/status");
        }
    }

    private static Process startChdbServer(final int port, final Path data, final Path log, final Options o)
        throws IOException
    {
        final Path lib = ChdbDistribution.ensure();
        final JvmProcess jvm = JvmProcess.of(MAIN_CLASS)
            .heap(o.heap())
            .args("--port", Integer.toString(port), "--data", data.toString(), "--lib", lib.toString(),
                "--user", o.user());
        if (!o.password().isEmpty())
        {
            final Path passwordFile = data.resolve("tally-password");
            Files.deleteIfExists(passwordFile);
            Files.createFile(passwordFile, PosixFilePermissions.asFileAttribute(
                Set.of(PosixFilePermission.OWNER_READ, PosixFilePermission.OWNER_WRITE)));
            Files.writeString(passwordFile, o.password(), StandardCharsets.UTF_8);
            jvm.args("--password-file", passwordFile.toString());
        }
        if (o.faultsEnabled())
        {
            jvm.args("--faults");
        }
        return jvm.environment(SignalChaining::preload).log(log).start();
    }

    private static void awaitReady(final Process process, final int port, final Path log)
    {
        final long deadline = System.nanoTime() + STARTUP_TIMEOUT.toNanos();
        while (!ping(port))
        {
            if (!process.isAlive())
            {
                throw new StackException("ClickHouse exited while starting (" + ChdbDistribution.lastLine(log) +
                    "); see " + log);
            }
            if (System.nanoTime() > deadline)
            {
                Pids.kill9(process.pid());
                throw new StackException("ClickHouse did not answer /ping on port " + port + " within " +
                    STARTUP_TIMEOUT.toSeconds() + "s (" + ChdbDistribution.lastLine(log) + "); see " + log);
            }
            try
            {
                Thread.sleep(50);
            }
            catch (final InterruptedException e)
            {
                Thread.currentThread().interrupt();
                Pids.kill9(process.pid());
                throw new StackException("interrupted while ClickHouse was starting");
            }
        }
    }

    private static void admin(final int port, final String pathAndQuery)
    {
        try
        {
            final HttpResponse<String> response = HTTP.send(
                HttpRequest.newBuilder(uri(port, pathAndQuery)).timeout(Duration.ofSeconds(10))
                    .POST(HttpRequest.BodyPublishers.noBody()).build(),
                HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200)
            {
                throw new StackException("ClickHouse fault endpoint refused " + pathAndQuery + ": " +
                    response.body().strip());
            }
        }
        catch (final IOException e)
        {
            throw new StackException("ClickHouse on port " + port + " does not answer " + pathAndQuery + ": " + e);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new StackException("interrupted while sending " + pathAndQuery + " to ClickHouse on port " + port);
        }
    }

    private static URI uri(final int port, final String pathAndQuery)
    {
        return URI.create("http://" + Ports.LOOPBACK + ":" + port + pathAndQuery);
    }
}
