package dev.tally.stack.clickhouse;

import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.regex.Pattern;

import com.sun.net.httpserver.Headers;

/**
 * The URL parameters and headers of one request to the HTTP interface, sorted into what the interface consumes
 * itself (query, database, format, credentials, compression) and what are ClickHouse settings for the query.
 */
final class HttpParams
{
    /** URL parameters that steer the HTTP interface and are not settings; {@code readonly} would lock the session. */
    private static final Set<String> NOT_SETTINGS = Set.of(
        "query", "database", "default_format", "user", "password", "quota_key", "compress", "decompress",
        "query_id", "session_id", "session_timeout", "session_check", "buffer_size", "wait_end_of_query",
        "role", "stacktrace", "client_protocol_version", "readonly");
    private static final Pattern SETTING_NAME = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");

    private final Map<String, String> params;
    private final Headers headers;

    private HttpParams(final Map<String, String> params, final Headers headers)
    {
        this.params = params;
        this.headers = headers;
    }

    static HttpParams of(final String rawQuery, final Headers headers)
    {
        final Map<String, String> params = new LinkedHashMap<>();
        if (rawQuery != null && !rawQuery.isEmpty())
        {
            for (final String pair : rawQuery.split("&"))
            {
                if (pair.isEmpty())
                {
                    continue;
                }
                final int eq = pair.indexOf('=');
                final String name = decode(eq < 0 ? pair : pair.substring(0, eq));
                final String value = eq < 0 ? "" : decode(pair.substring(eq + 1));
                params.put(name, value);
            }
        }
        return new HttpParams(params, headers);
    }

    String get(final String name)
    {
        return params.get(name);
    }

    boolean flag(final String name)
    {
        final String value = params.get(name);
        return value != null && ("1".equals(value) || "true".equalsIgnoreCase(value));
    }

    /** {@code X-ClickHouse-Database}, else the {@code database} parameter, else {@code null} for the default. */
    String database()
    {
        final String header = headers.getFirst("X-ClickHouse-Database");
        return header != null && !header.isEmpty() ? header : params.get("database");
    }

    /** The default output format: {@code X-ClickHouse-Format}, else {@code default_format}, else TabSeparated. */
    String defaultFormat()
    {
        final String header = headers.getFirst("X-ClickHouse-Format");
        if (header != null && !header.isEmpty())
        {
            return header;
        }
        final String param = params.get("default_format");
        return param != null && !param.isEmpty() ? param : "TabSeparated";
    }

    /** Settings and {@code param_*} query parameters in request order; throws on a name that is no identifier. */
    Map<String, String> settings()
    {
        final Map<String, String> settings = new LinkedHashMap<>();
        for (final Map.Entry<String, String> e : params.entrySet())
        {
            final String name = e.getKey();
            if (NOT_SETTINGS.contains(name))
            {
                continue;
            }
            if (!SETTING_NAME.matcher(name).matches())
            {
                throw new ClickHouseError(115, "Unknown setting '" + name + "'", "UNKNOWN_SETTING");
            }
            settings.put(name, e.getValue());
        }
        return settings;
    }

    /**
     * The user and password the request presents: {@code X-ClickHouse-User}/{@code -Key} headers, else Basic
     * authorization, else the {@code user}/{@code password} parameters; the user defaults to {@code default}.
     */
    String[] credentials()
    {
        final String headerUser = headers.getFirst("X-ClickHouse-User");
        if (headerUser != null)
        {
            final String key = headers.getFirst("X-ClickHouse-Key");
            return new String[] { headerUser, key == null ? "" : key };
        }
        final String authorization = headers.getFirst("Authorization");
        if (authorization != null && authorization.regionMatches(true, 0, "Basic ", 0, 6))
        {
            final String decoded = new String(
                Base64.getDecoder().decode(authorization.substring(6).strip()), StandardCharsets.UTF_8);
            final int colon = decoded.indexOf(':');
            return colon < 0 ?
                new String[] { decoded, "" } : new String[] { decoded.substring(0, colon), decoded.substring(colon + 1) };
        }
        final String user = params.get("user");
        final String password = params.get("password");
        return new String[] { user == null || user.isEmpty() ? "default" : user, password == null ? "" : password };
    }

    private static String decode(final String s)
    {
        return URLDecoder.decode(s, StandardCharsets.UTF_8);
    }
}
