package dev.tally.stack.clickhouse;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.atomic.AtomicLong;
import java.util.zip.GZIPInputStream;
import java.util.zip.InflaterInputStream;

import com.sun.net.httpserver.Headers;
import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;

/**
 * ClickHouse's HTTP interface in front of a {@link ChdbSession}: {@code /ping}, and queries sent as the
 * {@code query} parameter and/or the body, with data for inserts spooled to a file and read with {@code FROM INFILE}.
 * <p>
 * Invariant: nothing is applied until the whole request body has been received, and a response is either complete or
 * not sent at all (a lost ack closes the connection before any header).
 */
final class ClickHouseHttpHandler implements HttpHandler
{
    /** Body bytes inspected for an {@code INSERT ... FORMAT} head when the query arrives in the body. */
    private static final int HEAD_LIMIT = 1 << 20;
    private static final byte[] OK = "Ok.\n".getBytes(StandardCharsets.US_ASCII);

    private final ChdbSession session;
    private final InsertSpool spool;
    private final FaultInjector faults;
    private final String user;
    private final byte[] password;
    private final CompressedBlocks blocks = new CompressedBlocks();
    private final AtomicLong queries = new AtomicLong();
    private final AtomicLong inserts = new AtomicLong();
    private final AtomicLong errors = new AtomicLong();

    ClickHouseHttpHandler(final ChdbSession session, final InsertSpool spool, final FaultInjector faults,
        final String user, final String password)
    {
        this.session = session;
        this.spool = spool;
        this.faults = faults;
        this.user = user;
        this.password = password.getBytes(StandardCharsets.UTF_8);
    }

    @Override
    public void handle(final HttpExchange exchange) throws IOException
    {
        try
        {
            final String path = exchange.getRequestURI().getPath();
            if ("/ping".equals(path) || "/replicas_status".equals(path) ||
                "/".equals(path) && "GET".equals(exchange.getRequestMethod()) &&
                exchange.getRequestURI().getRawQuery() == null)
            {
                exchange.getResponseHeaders().set("Content-Type", "text/plain; charset=UTF-8");
                send(exchange, 200, OK);
                return;
            }
            if (!"/".equals(path))
            {
                send(exchange, 404, ("There is no handle " + path + "\n").getBytes(StandardCharsets.UTF_8));
                return;
            }
            final HttpParams params = HttpParams.of(exchange.getRequestURI().getRawQuery(), exchange.getRequestHeaders());
            final String[] presented = params.credentials();
            if (!authenticated(presented[0], presented[1]))
            {
                final ClickHouseError error = new ClickHouseError(516, presented[0] + ": Authentication failed: " +
                    "password is incorrect, or there is no user with such name", "AUTHENTICATION_FAILED");
                sendError(exchange, 401, error.code(), error.getMessage());
                return;
            }
            query(exchange, params);
        }
        catch (final ClickHouseError e)
        {
            sendError(exchange, 500, e.code(), e.getMessage());
        }
        catch (final IOException | RuntimeException e)
        {
            // Headers may be out already, in which case closing the exchange is all that is left to do.
            if (exchange.getResponseCode() < 0)
            {
                sendError(exchange, 500, 1001, "Code: 1001. DB::Exception: " + e + ". (STD_EXCEPTION)");
            }
        }
        finally
        {
            exchange.close();
        }
    }

    private void query(final HttpExchange exchange, final HttpParams params) throws IOException
    {
        queries.incrementAndGet();
        if (params.get("session_id") != null)
        {
            throw new ClickHouseError(48, "sessions are not supported by the local server", "NOT_IMPLEMENTED");
        }
        final boolean compress = params.flag("compress");
        final String database = params.database();
        final Map<String, String> settings = params.settings();
        final String format = params.defaultFormat();
        final String queryId = params.get("query_id") != null ? params.get("query_id") : UUID.randomUUID().toString();
        exchange.getResponseHeaders().set("X-ClickHouse-Query-Id", queryId);

        final InputStream body = requestBody(exchange, params);
        final String queryParam = params.get("query");
        final byte[] text;
        final int textLength;
        if (queryParam != null)
        {
            text = (queryParam + "\n").getBytes(StandardCharsets.UTF_8);
            textLength = text.length;
        }
        else
        {
            text = body.readNBytes(HEAD_LIMIT);
            textLength = text.length;
        }
        final SqlText.InsertHead insert = SqlText.insertHead(text, textLength);
        if (insert != null)
        {
            insert(exchange, insert, text, textLength, body, database, settings, format, compress);
            return;
        }
        final ByteArrayOutputStream sql = new ByteArrayOutputStream(textLength + 64);
        sql.write(text, 0, textLength);
        body.transferTo(sql);
        final String statement = sql.toString(StandardCharsets.UTF_8).strip();
        if (statement.isEmpty())
        {
            throw new ClickHouseError(62, "Empty query", "SYNTAX_ERROR");
        }
        final SqlText.Kind kind = SqlText.kind(statement);
        if (kind == SqlText.Kind.SET || kind == SqlText.Kind.USE)
        {
            // Without a session, ClickHouse forgets SET and USE when the request ends; the shared chDB session must too.
            respond(exchange, ChdbResult.EMPTY, format, compress);
            return;
        }
        final String named = SqlText.outputFormat(statement);
        respond(exchange, session.execute(database, settings, statement, format), named != null ? named : format,
            compress);
    }

    private void insert(final HttpExchange exchange, final SqlText.InsertHead head, final byte[] text,
        final int textLength, final InputStream body, final String database, final Map<String, String> settings,
        final String format, final boolean compress) throws IOException
    {
        inserts.incrementAndGet();
        final Path file = spool.spool(text, head.dataOffset(), textLength, body);
        try
        {
            if (faults != null && faults.beforeApply())
            {
                throw new ClickHouseError(1002, "tally fault injection: insert failed before it was applied",
                    "UNKNOWN_EXCEPTION");
            }
            final ChdbResult result = session.execute(database, settings, head.fromInfile(file.toString()), format);
            if (!result.failed() && faults != null && faults.afterApply())
            {
                // Applied, acknowledgement lost: closing before sendResponseHeaders drops the connection.
                return;
            }
            respond(exchange, result, format, compress);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new ClickHouseError(394, "insert interrupted while held by fault injection", "QUERY_WAS_CANCELLED");
        }
        finally
        {
            spool.release(file);
        }
    }

    private void respond(final HttpExchange exchange, final ChdbResult result, final String format,
        final boolean compress) throws IOException
    {
        if (result.failed())
        {
            sendError(exchange, 500, ClickHouseError.codeOf(result.error()), result.error());
            return;
        }
        final Headers headers = exchange.getResponseHeaders();
        headers.set("X-ClickHouse-Format", format);
        headers.set("X-ClickHouse-Timezone", session.timezone());
        headers.set("X-ClickHouse-Server-Display-Name", "tally-chdb");
        headers.set("X-ClickHouse-Summary", summary(result));
        headers.set("Content-Type", contentType(format));
        final byte[] data = result.data();
        send(exchange, 200, compress && data.length > 0 ? blocks.compress(data) : data);
    }

    private static String summary(final ChdbResult r)
    {
        final long resultRows = r.rowsWritten();
        return "{\"read_rows\":\"" + r.rowsRead() + "\",\"read_bytes\":\"" + r.bytesRead() +
            "\",\"written_rows\":\"" + r.rowsWritten() + "\",\"written_bytes\":\"" + r.bytesWritten() +
            "\",\"total_rows_to_read\":\"" + r.rowsRead() + "\",\"result_rows\":\"" + resultRows +
            "\",\"result_bytes\":\"" + r.data().length + "\",\"elapsed_ns\":\"" + r.elapsedNanos() + "\"}";
    }

    private static String contentType(final String format)
    {
        if (format.startsWith("JSON"))
        {
            return "application/json; charset=UTF-8";
        }
        if (format.startsWith("TabSeparated") || format.startsWith("TSV") || format.startsWith("CSV") ||
            format.startsWith("Pretty") || "Vertical".equals(format))
        {
            return "text/plain; charset=UTF-8";
        }
        return "application/octet-stream";
    }

    private InputStream requestBody(final HttpExchange exchange, final HttpParams params) throws IOException
    {
        InputStream in = exchange.getRequestBody();
        final String encoding = exchange.getRequestHeaders().getFirst("Content-Encoding");
        if (encoding != null && !encoding.isEmpty() && !"identity".equalsIgnoreCase(encoding))
        {
            in = switch (encoding.toLowerCase(Locale.ROOT))
            {
                case "gzip" -> new GZIPInputStream(in);
                case "deflate" -> new InflaterInputStream(in);
                default -> throw new ClickHouseError(48, "Content-Encoding " + encoding +
                    " is not supported by the local server (gzip and deflate are)", "NOT_IMPLEMENTED");
            };
        }
        if (params.flag("decompress"))
        {
            final ByteArrayOutputStream plain = new ByteArrayOutputStream();
            blocks.decompress(in, plain);
            in = new ByteArrayInputStream(plain.toByteArray());
        }
        return in;
    }

    private boolean authenticated(final String presentedUser, final String presentedPassword)
    {
        final boolean passwordMatches = MessageDigest.isEqual(
            password, presentedPassword.getBytes(StandardCharsets.UTF_8));
        return user.equals(presentedUser) & passwordMatches;
    }

    private void sendError(final HttpExchange exchange, final int status, final int code, final String message)
        throws IOException
    {
        errors.incrementAndGet();
        final Headers headers = exchange.getResponseHeaders();
        headers.set("X-ClickHouse-Exception-Code", Integer.toString(code));
        headers.set("Content-Type", "text/plain; charset=UTF-8");
        send(exchange, status, (message + "\n").getBytes(StandardCharsets.UTF_8));
    }

    private static void send(final HttpExchange exchange, final int status, final byte[] body) throws IOException
    {
        exchange.sendResponseHeaders(status, body.length == 0 ? -1 : body.length);
        if (body.length > 0)
        {
            try (OutputStream out = exchange.getResponseBody())
            {
                out.write(body);
            }
        }
    }

    /** Counters for the admin status page. */
    String status()
    {
        return "queries=" + queries.get() + "\ninserts=" + inserts.get() + "\nerrors=" + errors.get() +
            "\nchdb_queries=" + session.queries() + "\nsession_restore_failures=" + session.restoreFailures() +
            "\nspooled_bytes=" + spool.bytesSpooled() + "\n";
    }
}
