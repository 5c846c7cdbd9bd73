package dev.tally.engine.sink;

import org.agrona.concurrent.OneToOneConcurrentArrayQueue;

/**
 * The hand-over between the encoder thread (the only producer of {@code full}, the only consumer of {@code free})
 * and the writer thread (the reverse). A fixed pool of batches bounds the memory between the two stages: when the
 * writer falls behind, the encoder finds {@code free} empty and waits, which backs up the rings behind it.
 */
public final class BatchQueues
{
    private final OneToOneConcurrentArrayQueue<Batch> full;
    private final OneToOneConcurrentArrayQueue<Batch> free;
    private final int poolSize;

    public BatchQueues(final int poolSize, final int batchCapacityBytes)
    {
        if (poolSize < 2)
        {
            throw new IllegalArgumentException("need at least 2 batches in flight, not " + poolSize);
        }
        this.poolSize = poolSize;
        this.full = new OneToOneConcurrentArrayQueue<>(poolSize);
        this.free = new OneToOneConcurrentArrayQueue<>(poolSize);
        for (int i = 0; i < poolSize; i++)
        {
            free.offer(new Batch(batchCapacityBytes));
        }
    }

    /** Batches ready to insert, in the order the encoder cut them. */
    public OneToOneConcurrentArrayQueue<Batch> full()
    {
        return full;
    }

    /** Empty batches for the encoder to fill. */
    public OneToOneConcurrentArrayQueue<Batch> free()
    {
        return free;
    }

    public int poolSize()
    {
        return poolSize;
    }

    /** True when every batch is back in the free pool: nothing is waiting for or inside an insert. */
    public boolean drained()
    {
        return free.size() == poolSize;
    }
}
