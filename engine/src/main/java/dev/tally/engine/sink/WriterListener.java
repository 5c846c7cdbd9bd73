package dev.tally.engine.sink;

/**
 * Told by {@link ClickHouseWriter}, on the writer thread, what happened to each batch. Implementations must be quick
 * and must not keep the batch: it goes back to the encoder's free pool right after {@link #onInserted} returns.
 */
public interface WriterListener
{
    /** A listener that ignores everything. */
    WriterListener NONE = new WriterListener()
    {
        public void onInserted(final Batch batch, final long latencyNanos)
        {
        }

        public void onRetry(final Batch batch, final Throwable cause)
        {
        }
    };

    /**
     * ClickHouse acknowledged {@code batch}; called before the batch is returned to the free pool.
     *
     * @param latencyNanos from the first attempt to insert the batch to the acknowledgement, retries included
     */
    void onInserted(Batch batch, long latencyNanos);

    /** An attempt to insert {@code batch} failed with {@code cause}; the same bytes will be sent again. */
    void onRetry(Batch batch, Throwable cause);
}
