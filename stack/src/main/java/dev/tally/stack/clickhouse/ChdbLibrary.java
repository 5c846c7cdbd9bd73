package dev.tally.stack.clickhouse;

import java.lang.foreign.Arena;
import java.lang.foreign.FunctionDescriptor;
import java.lang.foreign.Linker;
import java.lang.foreign.MemorySegment;
import java.lang.foreign.SymbolLookup;
import java.lang.invoke.MethodHandle;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import static java.lang.foreign.ValueLayout.ADDRESS;
import static java.lang.foreign.ValueLayout.JAVA_BYTE;
import static java.lang.foreign.ValueLayout.JAVA_DOUBLE;
import static java.lang.foreign.ValueLayout.JAVA_INT;
import static java.lang.foreign.ValueLayout.JAVA_LONG;

/**
 * The connection API of chDB's C interface ({@code libchdb.so}) bound with the Foreign Function &amp; Memory API.
 * <p>
 * The C signatures used: {@code chdb_connection *chdb_connect(int argc, char **argv)},
 * {@code chdb_result *chdb_query_n(chdb_connection conn, const char *query, size_t query_len, const char *format,
 * size_t format_len)}, {@code chdb_result_buffer/length/error/rows_read/bytes_read/rows_written/bytes_written/elapsed
 * (chdb_result *)}, {@code chdb_destroy_query_result(chdb_result *)}, {@code chdb_close_conn(chdb_connection *)} and
 * {@code chdb_set_signal_handlers_enabled(bool)}, which must switch ClickHouse's signal handlers off before connecting
 * because the JVM owns SIGSEGV and friends.
 * <p>
 * Not thread-safe: one thread at a time, which {@link ChdbSession} guarantees.
 */
@SuppressWarnings("restricted") // Calling into libchdb.so is the point; the server JVM runs with native access enabled.
final class ChdbLibrary implements AutoCloseable
{
    private static final long ERROR_TEXT_LIMIT = 1 << 20;

    private final MethodHandle queryN;
    private final MethodHandle resultBuffer;
    private final MethodHandle resultLength;
    private final MethodHandle resultError;
    private final MethodHandle resultRowsRead;
    private final MethodHandle resultBytesRead;
    private final MethodHandle resultRowsWritten;
    private final MethodHandle resultBytesWritten;
    private final MethodHandle resultElapsed;
    private final MethodHandle destroyResult;
    private final MethodHandle closeConnection;
    private final MemorySegment connectionHandle;
    private final MemorySegment connection;
    private boolean closed;

    private ChdbLibrary(final SymbolLookup lookup, final Path dataDir)
    {
        final Linker linker = Linker.nativeLinker();
        final MethodHandle signalHandlers = bind(linker, lookup, "chdb_set_signal_handlers_enabled",
            FunctionDescriptor.ofVoid(JAVA_INT));
        final MethodHandle connect = bind(linker, lookup, "chdb_connect",
            FunctionDescriptor.of(ADDRESS, JAVA_INT, ADDRESS));
        queryN = bind(linker, lookup, "chdb_query_n",
            FunctionDescriptor.of(ADDRESS, ADDRESS, ADDRESS, JAVA_LONG, ADDRESS, JAVA_LONG));
        resultBuffer = bind(linker, lookup, "chdb_result_buffer", FunctionDescriptor.of(ADDRESS, ADDRESS));
        resultLength = bind(linker, lookup, "chdb_result_length", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
        resultError = bind(linker, lookup, "chdb_result_error", FunctionDescriptor.of(ADDRESS, ADDRESS));
        resultRowsRead = bind(linker, lookup, "chdb_result_rows_read", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
        resultBytesRead = bind(linker, lookup, "chdb_result_bytes_read", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
        resultRowsWritten = bind(linker, lookup, "chdb_result_rows_written", FunctionDescriptor.of(JAVA_LONG, ADDRESS));
        resultBytesWritten = bind(linker, lookup, "chdb_result_bytes_written",
            FunctionDescriptor.of(JAVA_LONG, ADDRESS));
        resultElapsed = bind(linker, lookup, "chdb_result_elapsed", FunctionDescriptor.of(JAVA_DOUBLE, ADDRESS));
        destroyResult = bind(linker, lookup, "chdb_destroy_query_result", FunctionDescriptor.ofVoid(ADDRESS));
        closeConnection = bind(linker, lookup, "chdb_close_conn", FunctionDescriptor.ofVoid(ADDRESS));

        try (Arena arena = Arena.ofConfined())
        {
            signalHandlers.invokeExact(0);
            final String[] args = { "clickhouse", "--path=" + dataDir.toAbsolutePath() };
            final MemorySegment argv = arena.allocate(ADDRESS, args.length);
            for (int i = 0; i < args.length; i++)
            {
                argv.setAtIndex(ADDRESS, i, arena.allocateFrom(args[i]));
            }
            connectionHandle = (MemorySegment)connect.invokeExact(args.length, argv);
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException("chdb_connect failed: " + t, t);
        }
        if (connectionHandle.equals(MemorySegment.NULL))
        {
            throw new IllegalStateException("chdb_connect returned no connection for " + dataDir);
        }
        connection = connectionHandle.reinterpret(ADDRESS.byteSize()).get(ADDRESS, 0);
        if (connection.equals(MemorySegment.NULL))
        {
            throw new IllegalStateException("chdb_connect returned an empty connection for " + dataDir);
        }
    }

    /** Loads {@code libchdb.so} (once per process) and opens a connection on {@code dataDir}. */
    static ChdbLibrary open(final Path library, final Path dataDir)
    {
        return new ChdbLibrary(SymbolLookup.libraryLookup(library, Arena.global()), dataDir);
    }

    /** Runs one statement; {@code format} is the output format unless the statement names its own. */
    ChdbResult query(final String sql, final String format)
    {
        if (closed)
        {
            throw new IllegalStateException("chDB connection closed");
        }
        try (Arena arena = Arena.ofConfined())
        {
            final byte[] sqlBytes = sql.getBytes(StandardCharsets.UTF_8);
            final byte[] formatBytes = format.getBytes(StandardCharsets.US_ASCII);
            final MemorySegment sqlSegment = arena.allocate(sqlBytes.length + 1L);
            MemorySegment.copy(sqlBytes, 0, sqlSegment, JAVA_BYTE, 0, sqlBytes.length);
            final MemorySegment formatSegment = arena.allocate(formatBytes.length + 1L);
            MemorySegment.copy(formatBytes, 0, formatSegment, JAVA_BYTE, 0, formatBytes.length);

            final MemorySegment result = (MemorySegment)queryN.invokeExact(
                connection, sqlSegment, (long)sqlBytes.length, formatSegment, (long)formatBytes.length);
            if (result.equals(MemorySegment.NULL))
            {
                return ChdbResult.failure("Code: 1000. DB::Exception: chDB returned no result. (POCO_EXCEPTION)");
            }
            try
            {
                return copyOut(result);
            }
            finally
            {
                destroyResult.invokeExact(result);
            }
        }
        catch (final RuntimeException | Error e)
        {
            throw e;
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException(t);
        }
    }

    private ChdbResult copyOut(final MemorySegment result) throws Throwable
    {
        final MemorySegment error = (MemorySegment)resultError.invokeExact(result);
        if (!error.equals(MemorySegment.NULL))
        {
            // Counters of a failed result are not meaningful: chDB leaves them unset.
            return ChdbResult.failure(error.reinterpret(ERROR_TEXT_LIMIT).getString(0, StandardCharsets.UTF_8));
        }
        final MemorySegment buffer = (MemorySegment)resultBuffer.invokeExact(result);
        final long length = (long)resultLength.invokeExact(result);
        final byte[] data = buffer.equals(MemorySegment.NULL) || length <= 0 ?
            new byte[0] : buffer.reinterpret(length).toArray(JAVA_BYTE);
        final long rowsRead = (long)resultRowsRead.invokeExact(result);
        final long bytesRead = (long)resultBytesRead.invokeExact(result);
        final long rowsWritten = (long)resultRowsWritten.invokeExact(result);
        final long bytesWritten = (long)resultBytesWritten.invokeExact(result);
        final double elapsedSeconds = (double)resultElapsed.invokeExact(result);
        return new ChdbResult(data, null, rowsRead, bytesRead, rowsWritten, bytesWritten,
            (long)(elapsedSeconds * 1_000_000_000L));
    }

    @Override
    public void close()
    {
        if (closed)
        {
            return;
        }
        closed = true;
        try
        {
            closeConnection.invokeExact(connectionHandle);
        }
        catch (final Throwable t)
        {
            throw new IllegalStateException("chdb_close_conn failed: " + t, t);
        }
    }

    private static MethodHandle bind(
        final Linker linker, final SymbolLookup lookup, final String name, final FunctionDescriptor descriptor)
    {
        final MemorySegment symbol = lookup.find(name)
            .orElseThrow(() -> new IllegalStateException("libchdb.so lacks " + name + "; is it chDB 26.5?"));
        return linker.downcallHandle(symbol, descriptor);
    }
}
