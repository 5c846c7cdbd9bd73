package dev.tally.stack.clickhouse;

import java.io.IOException;
import java.io.OutputStream;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.util.Locale;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

/**
 * The test-only admin endpoint under {@code /tally/}: {@code POST /tally/faults?fault=lose_ack&count=1[&millis=200]}
 * arms a fault for the next inserts, {@code ...&rate=0.05} for that fraction of all inserts from now on,
 * {@code POST /tally/faults/clear} disarms all and releases stalls, {@code GET /tally/status} shows the
 * counters. Answers 404 unless the server was started with faults enabled, and 403 to any non-loopback peer.
 */
final class FaultAdminHandler implements HttpHandler
{
    private final FaultInjector faults;
    private final ClickHouseHttpHandler queries;

    FaultAdminHandler(final FaultInjector faults, final ClickHouseHttpHandler queries)
    {
        this.faults = faults;
        this.queries = queries;
    }

    @Override
    public void handle(final HttpExchange exchange) throws IOException
    {
        try
        {
            final InetAddress peer = exchange.getRemoteAddress().getAddress();
            if (!peer.isLoopbackAddress())
            {
                reply(exchange, 403, "loopback only\n");
                return;
            }
            final String path = exchange.getRequestURI().getPath();
            final boolean post = "POST".equals(exchange.getRequestMethod());
            if ("/tally/status".equals(path))
            {
                reply(exchange, 200, queries.status() + (faults == null ? "faults=disabled\n" : faults.status()));
            }
            else if (faults == null)
            {
                reply(exchange, 404, "fault injection is off; start the server with --faults\n");
            }
            else if (post && "/tally/faults/clear".equals(path))
            {
                faults.clear();
                reply(exchange, 200, "Ok.\n");
            }
            else if (post && "/tally/faults".equals(path))
            {
                arm(exchange);
            }
            else
            {
                reply(exchange, 404, "unknown admin request " + exchange.getRequestMethod() + " " + path + "\n");
            }
        }
        finally
        {
            exchange.close();
        }
    }

    private void arm(final HttpExchange exchange) throws IOException
    {
        final HttpParams params = HttpParams.of(exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders());
        final String name = params.get("fault");
        final Fault fault;
        final int count;
        final long millis;
        final double rate;
        try
        {
            fault = Fault.valueOf(name == null ? "" : name.toUpperCase(Locale.ROOT));
            count = Integer.parseInt(params.get("count") == null ? "1" : params.get("count"));
            millis = Long.parseLong(params.get("millis") == null ? "0" : params.get("millis"));
            rate = params.get("rate") == null ? -1 : Double.parseDouble(params.get("rate"));
            if (params.get("rate") != null && !(rate >= 0 && rate <= 1))
            {
                throw new IllegalArgumentException("rate outside [0, 1]");
            }
        }
        catch (final IllegalArgumentException e)
        {
            reply(exchange, 400, "usage: POST /tally/faults?fault=<fail_before_apply|lose_ack|stall|latency>" +
                "&count=N[&millis=M] or &rate=F (a fraction F in [0, 1] of the inserts)\n");
            return;
        }
        if (rate >= 0)
        {
            faults.armRate(fault, rate, millis);
        }
        else
        {
            faults.arm(fault, count, millis);
        }
        reply(exchange, 200, "Ok.\n");
    }

    private static void reply(final HttpExchange exchange, final int status, final String text) throws IOException
    {
        final byte[] body = text.getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=UTF-8");
        exchange.sendResponseHeaders(status, body.length);
        try (OutputStream out = exchange.getResponseBody())
        {
            out.write(body);
        }
    }
}
