package dev.tally.stack.clickhouse;

import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import com.sun.net.httpserver.HttpServer;

/**
 * The local ClickHouse server process: opens chDB on a data directory and serves ClickHouse's HTTP interface on
 * 127.0.0.1 until SIGTERM.
 * <p>
 * Arguments: {@code --port N --data DIR --lib libchdb.so [--user NAME] [--password-file FILE] [--faults]}.
 */
public final class ClickHouseServerMain
{
    /** The line printed once the server accepts queries. */
    static final String READY = "tally-clickhouse ready";

    private ClickHouseServerMain()
    {
    }

    public static void main(final String[] args) throws Exception
    {
        int port = LocalClickHouse.DEFAULT_PORT;
        Path data = null;
        Path lib = null;
        String user = "default";
        String password = "";
        boolean faultsEnabled = false;
        for (int i = 0; i < args.length; i++)
        {
            switch (args[i])
            {
                case "--port" -> port = Integer.parseInt(args[++i]);
                case "--data" -> data = Path.of(args[++i]).toAbsolutePath();
                case "--lib" -> lib = Path.of(args[++i]).toAbsolutePath();
                case "--user" -> user = args[++i];
                case "--password-file" -> password = Files.readString(Path.of(args[++i]), StandardCharsets.UTF_8);
                case "--faults" -> faultsEnabled = true;
                default -> throw new IllegalArgumentException("unknown argument " + args[i]);
            }
        }
        if (data == null || lib == null)
        {
            throw new IllegalArgumentException("usage: ClickHouseServerMain --port N --data DIR --lib libchdb.so " +
                "[--user NAME] [--password-file FILE] [--faults]");
        }
        if (!SignalChaining.active())
        {
            throw new IllegalStateException("start the server with LD_PRELOAD=" + SignalChaining.library() +
                " (LocalClickHouse.start does): without signal chaining chDB disables the JVM's SIGSEGV handler");
        }
        run(port, data, lib, user, password, faultsEnabled);
    }

    private static void run(final int port, final Path data, final Path lib, final String user, final String password,
        final boolean faultsEnabled) throws IOException, InterruptedException
    {
        Files.createDirectories(data);
        try (FileChannel lockChannel = FileChannel.open(data.resolve("tally-clickhouse.lock"),
            StandardOpenOption.CREATE, StandardOpenOption.WRITE);
            FileLock lock = lockChannel.tryLock())
        {
            if (lock == null)
            {
                throw new IllegalStateException("another local ClickHouse server is using " + data);
            }
            final ChdbSession session = new ChdbSession(lib, data.resolve("chdb"));
            final InsertSpool spool = new InsertSpool(data.resolve("spool"));
            final FaultInjector faults = faultsEnabled ? new FaultInjector() : null;
            final ClickHouseHttpHandler handler = new ClickHouseHttpHandler(session, spool, faults, user, password);

            final ExecutorService executor = Executors.newVirtualThreadPerTaskExecutor();
            final HttpServer server = HttpServer.create(
                new InetSocketAddress(InetAddress.getByName("127.0.0.1"), port), 128);
            server.createContext("/", handler);
            server.createContext("/tally/", new FaultAdminHandler(faults, handler));
            server.setExecutor(executor);

            final CountDownLatch stopped = new CountDownLatch(1);
            Runtime.getRuntime().addShutdownHook(new Thread(() ->
            {
                server.stop(0);
                executor.shutdownNow();
                session.close();
                stopped.countDown();
            }, "clickhouse-shutdown"));
            server.start();
            System.out.println(READY + " on http://127.0.0.1:" + port + " (ClickHouse " + session.version() +
                ", data " + data + (faultsEnabled ? ", fault injection on" : "") + ")");
            System.out.flush();
            stopped.await();
        }
    }
}
