package dev.tally.jmh.window;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.MutableDirectBuffer;

import dev.tally.engine.sink.RollupRowEncoder;
import dev.tally.engine.window.RowSink;

/**
 * Encodes every emitted row as RowBinary into one reusable buffer of the engine's batch type, starting over at the
 * front when the next row would not fit, as an insert batch is refilled after it is handed over.
 */
final class EncodingRowSink implements RowSink
{
    private final MutableDirectBuffer buffer;
    private final int lastRowAt;
    private int position;
    private long rows;
    private long batchId;
    private long emittedAtMs;

    EncodingRowSink(final int capacity)
    {
        this.buffer = new ExpandableArrayBuffer(capacity);
        this.lastRowAt = capacity - RollupRowEncoder.ROW_LENGTH;
    }

    /** Starts a batch: the id and emission time the following rows carry. */
    void beginBatch(final long batchId, final long emittedAtMs)
    {
        this.batchId = batchId;
        this.emittedAtMs = emittedAtMs;
    }

    @Override
    public void onRow(final int kind, final long windowStartMs, final long accountId, final int country,
        final int partition, final long count, final long sumLo, final long sumHi, final long version)
    {
        if (position > lastRowAt)
        {
            position = 0;
        }
        position = RollupRowEncoder.encode(buffer, position, windowStartMs, accountId, country, partition, count,
            sumLo, sumHi, version, batchId, emittedAtMs);
        rows++;
    }

    long rows()
    {
        return rows;
    }

    int position()
    {
        return position;
    }
}
