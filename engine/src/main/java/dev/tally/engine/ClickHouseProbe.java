package dev.tally.engine;

import java.util.Set;
import java.util.concurrent.TimeUnit;

import com.clickhouse.client.api.Client;
import com.clickhouse.client.api.ServerException;
import com.clickhouse.client.api.query.QueryResponse;

/**
 * Says why ClickHouse failed the engine's start-up ping, in one line the user can act on. The client's ping runs
 * {@code SELECT 1} as the configured user and reports only true or false, so a refused password looked exactly like
 * a server that is down; one more query tells the two apart.
 */
final class ClickHouseProbe
{
    /** UNKNOWN_USER, WRONG_PASSWORD, REQUIRED_PASSWORD, AUTHENTICATION_FAILED. */
    private static final Set<Integer> CREDENTIAL_CODES = Set.of(192, 193, 194, 516);
    private static final int HTTP_UNAUTHORIZED = 401;

    private ClickHouseProbe()
    {
    }

    /** The message for a failed ping of the server {@code client} talks to, as {@code config}'s user. */
    static String whyNoAnswer(final Client client, final EngineConfig config)
    {
        final ServerException refusal = refusal(client, config.connectTimeout.toMillis());
        if (refusal != null && (CREDENTIAL_CODES.contains(refusal.getCode()) ||
            refusal.getTransportProtocolCode() == HTTP_UNAUTHORIZED))
        {
            return "ClickHouse at " + config.clickhouseUrl + " refused user " + config.clickhouseUser +
                ": wrong password or no such user (code " + refusal.getCode() + "); set the password in " +
                "TALLY_CLICKHOUSE_PASSWORD or in the file named by --clickhouse-password-file, the user with " +
                "--clickhouse-user";
        }
        return "ClickHouse at " + config.clickhouseUrl + " does not answer; run ./tally stack up or pass " +
            "--clickhouse-url";
    }

    /** The server's error for {@code SELECT 1}, or null when it answered or no server answered at all. */
    @SuppressWarnings("try") // QueryResponse.close() declares Exception; closing is all that is wanted here.
    private static ServerException refusal(final Client client, final long timeoutMillis)
    {
        try (QueryResponse ignored = client.query("SELECT 1").get(timeoutMillis, TimeUnit.MILLISECONDS))
        {
            return null;
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            return null;
        }
        catch (final Exception e)
        {
            for (Throwable t = e; t != null; t = t.getCause())
            {
                if (t instanceof ServerException server)
                {
                    return server;
                }
            }
            return null;
        }
    }
}
