package dev.tally.engine.window;

/**
 * Receives rollup rows as primitives, so emitting allocates nothing. A row with {@code version} v holds exactly the
 * aggregate of the window's accepted records of {@code partition} at offsets below {@code v & OFFSET_MASK}.
 */
@FunctionalInterface
public interface RowSink
{
    /**
     * @param kind          {@link WindowKind}
     * @param windowStartMs window start, epoch milliseconds UTC
     * @param accountId     account
     * @param country       packed ISO alpha-2 code (see {@code dev.tally.codec.Country})
     * @param partition     source Kafka partition
     * @param count         accepted records
     * @param sumLo         low 64 bits of the Int128 sum of amounts
     * @param sumHi         high 64 bits of the Int128 sum of amounts
     * @param version       {@code (generation << 48) | (offset of the last folded record + 1)}
     */
    void onRow(int kind, long windowStartMs, long accountId, int country, int partition,
        long count, long sumLo, long sumHi, long version);
}
