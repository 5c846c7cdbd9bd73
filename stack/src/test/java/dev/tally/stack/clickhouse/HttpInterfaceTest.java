package dev.tally.stack.clickhouse;

import java.io.ByteArrayInputStream;
import java.math.BigInteger;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.CompressionMethod;
import com.clickhouse.client.api.ServerException;
import com.clickhouse.client.api.insert.InsertResponse;
import com.clickhouse.client.api.query.GenericRecord;
import com.clickhouse.client.api.query.QuerySettings;
import com.clickhouse.data.ClickHouseFormat;

import dev.tally.stack.StackException;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/** The HTTP interface as client-v2 and plain HTTP see it, on a server with a password. */
class HttpInterfaceTest
{
    private static final String USER = "tally";
    private static final String PASSWORD = "s3cret";
    @TempDir
    static Path dir;
    private static TestServer server;
    private static Client client;
    private static final HttpClient HTTP = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();

    @BeforeAll
    static void start() throws Exception
    {
        server = TestServer.start(dir, LocalClickHouse.Options.defaults().withCredentials(USER, PASSWORD));
        client = server.client();
        TestServer.execute(client, "CREATE DATABASE IF NOT EXISTS http_test");
        TestServer.execute(client, "CREATE TABLE http_test.rows (" + RowBinaryRows.COLUMNS + ") " +
            "ENGINE = MergeTree ORDER BY (key, bucket)");
    }

    @AfterAll
    static void stop()
    {
        if (client != null)
        {
            client.close();
        }
        if (server != null)
        {
            server.close();
        }
    }

    private HttpResponse<String> post(final String query, final String body, final String... headers) throws Exception
    {
        final HttpRequest.Builder request = HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.port() + "/" + (query == null ? "" : "?" + query)))
            .POST(HttpRequest.BodyPublishers.ofString(body));
        for (int i = 0; i < headers.length; i += 2)
        {
            request.header(headers[i], headers[i + 1]);
        }
        return HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
    }

    private static String basic(final String user, final String password)
    {
        return "Basic " + Base64.getEncoder().encodeToString((user + ":" + password).getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void pingAnswersWithoutCredentials()
    {
        assertThat(LocalClickHouse.ping(server.port())).isTrue();
        assertThat(client.ping()).isTrue();
    }

    @Test
    void rowBinaryWithBlankLinesInsideArrivesWhole() throws Exception
    {
        final RowBinaryRows rows = new RowBinaryRows();
        for (int i = 0; i < 1000; i++)
        {
            // 0x0A0A in the amount and "\n\n" in the key: a blank line wherever chDB would cut inline data.
            rows.add("nl\n\n" + i, 1_700_000_000L + 10L * 0x0A0A, BigInteger.valueOf(0x0A0A0A0AL + i), 0x0A0A);
        }
        assertThat(new String(rows.bytes(), StandardCharsets.ISO_8859_1)).contains("\n\n");
        final InsertResponse response = client.insert("http_test.rows", new ByteArrayInputStream(rows.bytes()),
            ClickHouseFormat.RowBinary).get(60, TimeUnit.SECONDS);
        assertThat(response.getWrittenRows()).isEqualTo(1000);

        final List<GenericRecord> back = client.queryAll(
            "SELECT key, bucket, amount, version FROM http_test.rows WHERE startsWith(key, 'nl') ORDER BY amount");
        assertThat(back).hasSize(1000);
        assertThat(back.get(7).getString("key")).isEqualTo("nl\n\n7");
        assertThat(back.get(7).getBigInteger("amount")).isEqualTo(BigInteger.valueOf(0x0A0A0A0AL + 7));
        assertThat(back.get(7).getLong("version")).isEqualTo(0x0A0A);
        assertThat(back.get(7).getZonedDateTime("bucket").toEpochSecond()).isEqualTo(1_700_000_000L + 10L * 0x0A0A);
    }

    @Test
    void compressedAndUncompressedTransportsAgree() throws Exception
    {
        final String sql = "SELECT number, toString(number) FROM system.numbers LIMIT 300000";
        final long expected = 300000L * 299999L / 2;
        try (Client plain = server.client(b -> b.compressServerResponse(false));
            Client compressedRequests = server.client(
                b -> b.compressClientRequest(true).compressionMethod(CompressionMethod.LZ4));
            Client zstdRequests = server.client(
                b -> b.compressClientRequest(true).compressionMethod(CompressionMethod.ZSTD)))
        {
            for (final Client c : List.of(client, plain, compressedRequests))
            {
                final List<GenericRecord> rows = c.queryAll(sql);
                assertThat(rows).hasSize(300000);
                assertThat(rows.stream().mapToLong(r -> r.getLong(1)).sum()).isEqualTo(expected);
            }
            final RowBinaryRows batch = new RowBinaryRows().add("lz4-request", 1_700_000_000L, BigInteger.TEN, 1);
            compressedRequests.insert("http_test.rows", new ByteArrayInputStream(batch.bytes()),
                ClickHouseFormat.RowBinary).get(60, TimeUnit.SECONDS).close();
            assertThat(TestServer.scalar(client, "SELECT count() FROM http_test.rows WHERE key = 'lz4-request'"))
                .isEqualTo(1);
            assertThatThrownBy(() -> zstdRequests.queryAll("SELECT 1"))
                .satisfies(e -> assertThat(serverException(e).getCode()).isEqualTo(89));
        }
        final HttpResponse<byte[]> raw = HTTP.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.port() + "/?compress=1&query=SELECT%2042"))
            .header("Authorization", basic(USER, PASSWORD)).GET().build(), HttpResponse.BodyHandlers.ofByteArray());
        assertThat(raw.body()[CompressedBlocks.CHECKSUM_LENGTH]).isEqualTo(CompressedBlocks.METHOD_LZ4);
        assertThat(new CompressedBlocks().decompress(raw.body())).isEqualTo("42\n".getBytes(StandardCharsets.UTF_8));
    }

    @Test
    void credentialsAreCheckedEveryWay() throws Exception
    {
        assertThat(post(null, "SELECT 1", "Authorization", basic(USER, PASSWORD)).body()).isEqualTo("1\n");
        assertThat(post(null, "SELECT 2", "X-ClickHouse-User", USER, "X-ClickHouse-Key", PASSWORD).body())
            .isEqualTo("2\n");
        assertThat(post("user=" + USER + "&password=" + PASSWORD, "SELECT 3").body()).isEqualTo("3\n");

        final HttpResponse<String> wrong = post(null, "SELECT 1", "Authorization", basic(USER, "nope"));
        assertThat(wrong.statusCode()).isEqualTo(401);
        assertThat(wrong.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("516");
        assertThat(post(null, "SELECT 1").statusCode()).isEqualTo(401);

        try (Client bad = server.client(b -> b.setPassword("wrong")))
        {
            assertThatThrownBy(() -> bad.queryAll("SELECT 1"))
                .satisfies(e -> assertThat(serverException(e).getCode()).isEqualTo(516));
        }
    }

    @Test
    void errorsCarryClickHouseCodeAndMessage() throws Exception
    {
        final HttpResponse<String> raw = post(null, "SELECT * FROM http_test.missing", "X-ClickHouse-User", USER,
            "X-ClickHouse-Key", PASSWORD);
        assertThat(raw.statusCode()).isEqualTo(500);
        assertThat(raw.headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("60");
        assertThat(raw.body()).startsWith("Code: 60. DB::Exception:").contains("missing");

        assertThatThrownBy(() -> client.queryAll("SELECT nope"))
            .satisfies(e ->
            {
                assertThat(serverException(e).getCode()).isEqualTo(47);
                assertThat(serverException(e).getMessage()).contains("Unknown expression identifier `nope`");
            });
    }

    @Test
    void queryParameterWithChunkedBodyInsertsAndSummaryCountsRows() throws Exception
    {
        final byte[] tsv = "chunk-a\t2024-01-01 00:00:00\t-5\t1\nchunk-b\t2024-01-01 00:00:00\t7\t1\n"
            .getBytes(StandardCharsets.UTF_8);
        final HttpRequest request = HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.port() +
            "/?query=INSERT%20INTO%20rows%20FORMAT%20TSV&database=http_test"))
            .header("Authorization", basic(USER, PASSWORD))
            .POST(HttpRequest.BodyPublishers.ofInputStream(() -> new ByteArrayInputStream(tsv)))
            .build();
        final HttpResponse<String> response = HTTP.send(request, HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).isEqualTo(200);
        assertThat(response.headers().firstValue("X-ClickHouse-Summary").orElseThrow())
            .contains("\"written_rows\":\"2\"");
        assertThat(post("database=http_test", "SELECT sum(amount) FROM rows WHERE key LIKE 'chunk-%'",
            "Authorization", basic(USER, PASSWORD)).body()).isEqualTo("2\n");
    }

    @Test
    void formatAndDatabaseComeFromHeadersOrParameters() throws Exception
    {
        final HttpResponse<String> header = post(null, "SELECT currentDatabase() AS db", "X-ClickHouse-User", USER,
            "X-ClickHouse-Key", PASSWORD, "X-ClickHouse-Format", "JSONEachRow", "X-ClickHouse-Database", "http_test");
        assertThat(header.body()).isEqualTo("{\"db\":\"http_test\"}\n");
        assertThat(header.headers().firstValue("X-ClickHouse-Format")).hasValue("JSONEachRow");
        final HttpResponse<String> param = post("default_format=CSV&database=system", "SELECT currentDatabase()",
            "Authorization", basic(USER, PASSWORD));
        assertThat(param.body()).isEqualTo("\"system\"\n");
        assertThat(post(null, "SELECT currentDatabase()", "Authorization", basic(USER, PASSWORD)).body())
            .isEqualTo("default\n");
    }

    @Test
    void settingsApplyToTheirQueryOnly() throws Exception
    {
        final QuerySettings settings = new QuerySettings().serverSetting("max_threads", "1");
        final List<GenericRecord> with = client.queryAll("SELECT getSetting('max_threads')", settings);
        assertThat(with.getFirst().getLong(1)).isEqualTo(1);
        final String defaultThreads = post(null, "SELECT getSetting('max_threads')",
            "Authorization", basic(USER, PASSWORD)).body();
        assertThat(defaultThreads).isNotEqualTo("1\n");
        assertThat(post("max_threads=1", "SET max_threads = 3", "Authorization", basic(USER, PASSWORD))
            .statusCode()).isEqualTo(200);
        assertThat(post(null, "SELECT getSetting('max_threads')", "Authorization", basic(USER, PASSWORD)).body())
            .isEqualTo(defaultThreads);
        assertThat(post("no_such_setting=1", "SELECT 1", "Authorization", basic(USER, PASSWORD))
            .headers().firstValue("X-ClickHouse-Exception-Code")).hasValue("115");
        final Map<String, Object> params = Map.of("word", "hello");
        assertThat(client.queryAll("SELECT {word:String}", params).getFirst().getString(1)).isEqualTo("hello");
    }

    @Test
    void slowQueryDelaysButDoesNotDisturbOthers() throws Exception
    {
        final CompletableFuture<List<GenericRecord>> slow = CompletableFuture.supplyAsync(() -> client.queryAll(
            "SELECT getSetting('max_block_size'), sum(sleepEachRow(0.1)) FROM numbers(10)",
            new QuerySettings().serverSetting("max_block_size", "1")));
        final long defaultBlock = client.queryAll("SELECT getSetting('max_block_size')").getFirst().getLong(1);
        assertThat(defaultBlock).isGreaterThan(1);
        assertThat(slow.get(60, TimeUnit.SECONDS).getFirst().getLong(1)).isEqualTo(1);
        assertThat(client.queryAll("SELECT getSetting('max_block_size')").getFirst().getLong(1))
            .isEqualTo(defaultBlock);
    }

    @Test
    void faultEndpointIsOffByDefault()
    {
        assertThatThrownBy(() -> LocalClickHouse.injectFault(server.port(), Fault.LOSE_ACK, 1))
            .isInstanceOf(StackException.class)
            .hasMessageContaining("fault injection is off");
        assertThat(LocalClickHouse.status(server.port())).contains("faults=disabled");
    }

    @Test
    void binaryInsertInTheBodyAfterTheStatementAlsoGoesThroughAFile() throws Exception
    {
        final byte[] rows = new RowBinaryRows()
            .add("inline\n\n1", 1_700_000_000L, BigInteger.valueOf(0x0A0A), 2)
            .add("inline\n\n2", 1_700_000_000L, BigInteger.valueOf(-1), 2)
            .bytes();
        final byte[] head = "INSERT INTO http_test.rows FORMAT RowBinary\n".getBytes(StandardCharsets.UTF_8);
        final byte[] body = new byte[head.length + rows.length];
        System.arraycopy(head, 0, body, 0, head.length);
        System.arraycopy(rows, 0, body, head.length, rows.length);
        final HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(
            URI.create("http://127.0.0.1:" + server.port() + "/"))
            .header("Authorization", basic(USER, PASSWORD))
            .POST(HttpRequest.BodyPublishers.ofByteArray(body)).build(), HttpResponse.BodyHandlers.ofString());
        assertThat(response.statusCode()).as(response.body()).isEqualTo(200);
        assertThat(post(null, "SELECT count(), sum(amount) FROM http_test.rows WHERE startsWith(key, 'inline')",
            "Authorization", basic(USER, PASSWORD)).body()).isEqualTo("2\t2569\n");
    }

    /** client-v2 wraps the server's exception in a ClientException; this digs it out. */
    static ServerException serverException(final Throwable thrown)
    {
        Throwable t = thrown;
        while (t != null && !(t instanceof ServerException))
        {
            t = t.getCause();
        }
        assertThat(t).as("a ServerException in the cause chain of " + thrown).isNotNull();
        return (ServerException)t;
    }
}
