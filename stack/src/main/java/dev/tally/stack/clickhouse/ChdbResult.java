package dev.tally.stack.clickhouse;

/**
 * The outcome of one chDB query, copied out of native memory so the connection is free again at once.
 *
 * @param data         the formatted output, empty for statements without output
 * @param error        ClickHouse's exception text, or {@code null} when the query succeeded
 * @param rowsRead     rows the query read
 * @param bytesRead    bytes the query read
 * @param rowsWritten  rows the query wrote (inserts)
 * @param bytesWritten bytes the query wrote (inserts)
 * @param elapsedNanos time chDB spent on the query
 */
record ChdbResult(byte[] data, String error, long rowsRead, long bytesRead, long rowsWritten, long bytesWritten,
    long elapsedNanos)
{
    /** The result of a statement the server answers itself without running it. */
    static final ChdbResult EMPTY = new ChdbResult(new byte[0], null, 0, 0, 0, 0, 0);

    static ChdbResult failure(final String error)
    {
        return new ChdbResult(new byte[0], error, 0, 0, 0, 0, 0);
    }

    boolean failed()
    {
        return error != null;
    }
}
