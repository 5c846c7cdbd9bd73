package dev.tally.stack.clickhouse;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.ReentrantLock;

/**
 * The process's single chDB connection, made stateless per request the way ClickHouse's HTTP interface is: a
 * request's database and settings are applied, the statement runs, and both are put back before the next request.
 * <p>
 * Invariant: only the thread holding {@link #lock} calls into chDB, so a slow query delays others but never
 * interleaves with them.
 */
final class ChdbSession implements AutoCloseable
{
    static final String DEFAULT_DATABASE = "default";

    private final ChdbLibrary library;
    private final ReentrantLock lock = new ReentrantLock(true);
    private final AtomicLong queries = new AtomicLong();
    private final AtomicLong restoreFailures = new AtomicLong();
    private final String timezone;
    private final String version;

    ChdbSession(final Path libchdb, final Path dataDir)
    {
        library = ChdbLibrary.open(libchdb, dataDir);
        final ChdbResult info = library.query("SELECT timezone(), version()", "TabSeparated");
        if (info.failed())
        {
            throw new IllegalStateException("chDB does not answer: " + info.error());
        }
        final String[] fields = new String(info.data(), StandardCharsets.UTF_8).strip().split("\t");
        timezone = fields[0];
        version = fields.length > 1 ? fields[1] : "";
    }

    String timezone()
    {
        return timezone;
    }

    String version()
    {
        return version;
    }

    long queries()
    {
        return queries.get();
    }

    long restoreFailures()
    {
        return restoreFailures.get();
    }

    /**
     * Runs {@code sql} with {@code settings} (names already validated as identifiers) in {@code database}, and
     * puts the session back afterwards whatever happened.
     */
    ChdbResult execute(final String database, final Map<String, String> settings, final String sql,
        final String format)
    {
        lock.lock();
        try
        {
            queries.incrementAndGet();
            final boolean switchDatabase = database != null && !database.isEmpty() &&
                !DEFAULT_DATABASE.equals(database);
            final List<String> applied = new ArrayList<>(settings.size());
            try
            {
                if (switchDatabase)
                {
                    final ChdbResult use = library.query("USE " + quoteIdentifier(database), format);
                    if (use.failed())
                    {
                        return use;
                    }
                }
                for (final Map.Entry<String, String> setting : settings.entrySet())
                {
                    final ChdbResult set = library.query(
                        "SET " + setting.getKey() + " = " + quoteString(setting.getValue()), format);
                    if (set.failed())
                    {
                        return set;
                    }
                    applied.add(setting.getKey());
                }
                return library.query(sql, format);
            }
            finally
            {
                restore(switchDatabase, applied, format);
            }
        }
        finally
        {
            lock.unlock();
        }
    }

    private void restore(final boolean switchDatabase, final List<String> applied, final String format)
    {
        final StringBuilder reset = new StringBuilder();
        for (final String name : applied)
        {
            // Query parameters have no default to return to; a stale one is harmless until it is passed again.
            if (!name.startsWith("param_"))
            {
                reset.append(reset.isEmpty() ? "SET " : ", ").append(name).append(" = DEFAULT");
            }
        }
        if (!reset.isEmpty() && library.query(reset.toString(), format).failed())
        {
            restoreFailures.incrementAndGet();
        }
        if (switchDatabase && library.query("USE " + DEFAULT_DATABASE, format).failed())
        {
            restoreFailures.incrementAndGet();
        }
    }

    @Override
    public void close()
    {
        lock.lock();
        try
        {
            library.close();
        }
        finally
        {
            lock.unlock();
        }
    }

    static String quoteIdentifier(final String name)
    {
        return "`" + name.replace("\\", "\\\\").replace("`", "\\`") + "`";
    }

    static String quoteString(final String value)
    {
        return "'" + value.replace("\\", "\\\\").replace("'", "\\'") + "'";
    }
}
