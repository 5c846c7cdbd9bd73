package dev.tally.chaos.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

/**
 * One SQL statement over ClickHouse's HTTP interface, as the engine's user: {@code TALLY_CLICKHOUSE_USER}
 * (default {@code default}) and {@code TALLY_CLICKHOUSE_PASSWORD}, the variables the engine and verify read.
 */
final class ClickHouseStatement
{
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5))
        .version(HttpClient.Version.HTTP_1_1).build();

    private ClickHouseStatement()
    {
    }

    /** Runs {@code sql} and returns the response body; fails with ClickHouse's message on an error. */
    static String run(final String url, final String sql)
    {
        final String user = System.getenv().getOrDefault("TALLY_CLICKHOUSE_USER", "default");
        final String password = System.getenv().getOrDefault("TALLY_CLICKHOUSE_PASSWORD", "");
        final HttpRequest.Builder request = HttpRequest.newBuilder(URI.create(url.endsWith("/") ? url : url + "/"))
            .timeout(Duration.ofSeconds(60)).header("X-ClickHouse-User", user)
            .POST(HttpRequest.BodyPublishers.ofString(sql));
        if (!password.isEmpty())
        {
            request.header("X-ClickHouse-Key", password);
        }
        try
        {
            final HttpResponse<String> response = HTTP.send(request.build(), HttpResponse.BodyHandlers.ofString());
            if (response.statusCode() != 200)
            {
                throw new IllegalStateException("ClickHouse at " + url + " refused '" + sql + "': " +
                    response.body().strip());
            }
            return response.body();
        }
        catch (final IOException e)
        {
            throw new IllegalStateException("ClickHouse at " + url + " does not answer: " + e.getMessage(), e);
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while ClickHouse ran '" + sql + "'", e);
        }
    }
}
