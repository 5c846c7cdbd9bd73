package dev.tally.engine.http;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;

import dev.tally.engine.report.Series;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.prometheus.metrics.expositionformats.PrometheusTextFormatWriter;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The engine's HTTP endpoint (loopback by default): {@code /metrics} in the Prometheus text format,
 * {@code /dashboard} (a self-contained page) and {@code /api/series} (the JSON it draws). One daemon thread serves
 * every request; nothing here is on the pipeline's path.
 */
public final class EngineHttp implements AutoCloseable
{
    private static final String DASHBOARD = "/dev/tally/engine/http/dashboard.html";

    private final HttpServer server;
    private final ExecutorService executor;

    private EngineHttp(final HttpServer server, final ExecutorService executor)
    {
        this.server = server;
        this.executor = executor;
    }

    /**
     * Listens on {@code address} (port 0: any free port).
     *
     * @throws IOException when the address cannot be bound
     */
    public static EngineHttp start(final InetSocketAddress address, final PrometheusRegistry registry,
        final Series series) throws IOException
    {
        final HttpServer server = HttpServer.create(address, 16);
        final PrometheusTextFormatWriter text = PrometheusTextFormatWriter.create();
        server.createContext("/metrics", exchange ->
        {
            exchange.getResponseHeaders().set("Content-Type", text.getContentType());
            exchange.sendResponseHeaders(200, 0);
            try (OutputStream out = exchange.getResponseBody())
            {
                text.write(out, registry.scrape());
            }
        });
        server.createContext("/api/series", exchange ->
            send(exchange, 200, "application/json", series.json().getBytes(StandardCharsets.UTF_8)));
        server.createContext("/dashboard", exchange ->
        {
            try (InputStream in = EngineHttp.class.getResourceAsStream(DASHBOARD))
            {
                if (in == null)
                {
                    send(exchange, 404, "text/plain", "dashboard page missing from the build\n".getBytes(StandardCharsets.UTF_8));
                    return;
                }
                send(exchange, 200, "text/html; charset=utf-8", in.readAllBytes());
            }
        });
        server.createContext("/", exchange ->
        {
            if (!exchange.getRequestURI().getPath().equals("/"))
            {
                send(exchange, 404, "text/plain", "not found; try /metrics or /dashboard\n".getBytes(StandardCharsets.UTF_8));
                return;
            }
            exchange.getResponseHeaders().set("Location", "/dashboard");
            send(exchange, 302, "text/plain", new byte[0]);
        });
        final ExecutorService executor = Executors.newSingleThreadExecutor(r ->
        {
            final Thread t = new Thread(r, "tally-http");
            t.setDaemon(true);
            return t;
        });
        server.setExecutor(executor);
        server.start();
        return new EngineHttp(server, executor);
    }

    /** The port actually bound. */
    public int port()
    {
        return server.getAddress().getPort();
    }

    public String host()
    {
        return server.getAddress().getHostString();
    }

    private static void send(final HttpExchange exchange, final int status, final String type, final byte[] body)
        throws IOException
    {
        exchange.getResponseHeaders().set("Content-Type", type);
        exchange.getResponseHeaders().set("Cache-Control", "no-store");
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0)
        {
            try (OutputStream out = exchange.getResponseBody())
            {
                out.write(body);
            }
        }
        exchange.close();
    }

    @Override
    public void close()
    {
        server.stop(0);
        executor.shutdownNow();
    }
}
