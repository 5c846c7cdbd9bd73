package dev.tally.engine.window;

import java.util.Arrays;

/**
 * Live window rows in primitive arrays: a row is an entry id into parallel arrays (struct of arrays), found by an
 * open-addressing hash table of ids keyed by (account, window start, partition, kind, country).
 * <pre>
 *   table[slot]   : entry id + 1, 0 = empty        (linear probing, backward-shift delete)
 *   account[id], windowStart[id], meta[id] = partition << 24 | kind << 16 | country   (the row's identity)
 *   count[id], sumLo[id], sumHi[id]                                                  (the aggregate, Int128 sum)
 *   version[id] : version of the last folded record; emitted[id] : version last emitted (dirty iff they differ)
 *   next[id]    : next entry of the same window (chain), or of the free list
 * </pre>
 * Ids are stable while an entry lives, so chains and the dirty list can hold them. Single writer: the windowing
 * thread. Arrays grow by doubling (amortised); in steady state nothing allocates.
 */
public final class WindowStore
{
    public static final int NONE = -1;
    private static final float LOAD_FACTOR = 0.6f;

    private int[] table;
    private int mask;
    private int size;

    private long[] account;
    private long[] windowStart;
    private long[] meta;
    private long[] count;
    private long[] sumLo;
    private long[] sumHi;
    private long[] version;
    private long[] emitted;
    // Delta emission (the at-least-once baseline only): what the last emission carried; null when off.
    private long[] emittedCount;
    private long[] emittedSumLo;
    private long[] emittedSumHi;
    private int[] next;
    private int highWater;
    private int freeHead = NONE;

    public WindowStore(final int expectedRows)
    {
        final int entries = Math.max(16, expectedRows);
        final int slots = Integer.highestOneBit(Math.max(32, (int)(entries / LOAD_FACTOR)) - 1) << 1;
        table = new int[slots];
        mask = slots - 1;
        account = new long[entries];
        windowStart = new long[entries];
        meta = new long[entries];
        count = new long[entries];
        sumLo = new long[entries];
        sumHi = new long[entries];
        version = new long[entries];
        emitted = new long[entries];
        next = new int[entries];
    }

    /**
     * From now on {@link #emit} hands out each row's change since its previous emission instead of its aggregate
     * (the at-least-once baseline, whose tables sum emissions). Call before the first record.
     */
    public void emitDeltas()
    {
        emittedCount = new long[account.length];
        emittedSumLo = new long[account.length];
        emittedSumHi = new long[account.length];
    }

    public static long meta(final int partition, final int kind, final int country)
    {
        return ((long)partition << 24) | ((long)kind << 16) | (country & 0xFFFF);
    }

    public int size()
    {
        return size;
    }

    /** Entries the per-entry arrays hold before they grow. */
    public int capacity()
    {
        return account.length;
    }

    /** Slots of the hash table. */
    public int tableSlots()
    {
        return table.length;
    }

    /**
     * Bytes held in the store's arrays (element data, without array headers), whatever their load: the footprint
     * to weigh against {@link #size()} live rows.
     */
    public long arrayBytes()
    {
        long longs = (long)account.length + windowStart.length + meta.length + count.length + sumLo.length +
            sumHi.length + version.length + emitted.length;
        if (emittedCount != null)
        {
            longs += (long)emittedCount.length + emittedSumLo.length + emittedSumHi.length;
        }
        return longs * Long.BYTES + ((long)table.length + next.length) * Integer.BYTES;
    }

    /** The entry for the key, or {@link #NONE}. */
    public int find(final long accountId, final long start, final long metaKey)
    {
        int slot = hash(accountId, start, metaKey) & mask;
        while (true)
        {
            final int ref = table[slot];
            if (ref == 0)
            {
                return NONE;
            }
            final int id = ref - 1;
            if (account[id] == accountId && windowStart[id] == start && meta[id] == metaKey)
            {
                return id;
            }
            slot = (slot + 1) & mask;
        }
    }

    /** A new zeroed entry for a key known to be absent; {@code chainNext} becomes its next-in-window link. */
    public int insert(final long accountId, final long start, final long metaKey, final int chainNext)
    {
        if (size + 1 > (int)(table.length * LOAD_FACTOR))
        {
            rehash(table.length << 1);
        }
        final int id = allocate();
        account[id] = accountId;
        windowStart[id] = start;
        meta[id] = metaKey;
        count[id] = 0;
        sumLo[id] = 0;
        sumHi[id] = 0;
        version[id] = 0;
        emitted[id] = 0;
        if (emittedCount != null)
        {
            emittedCount[id] = 0;
            emittedSumLo[id] = 0;
            emittedSumHi[id] = 0;
        }
        next[id] = chainNext;

        int slot = hash(accountId, start, metaKey) & mask;
        while (table[slot] != 0)
        {
            slot = (slot + 1) & mask;
        }
        table[slot] = id + 1;
        size++;
        return id;
    }

    /** Folds one accepted record in: count + 1, sum + amount (128-bit, sign-extended), version = v. */
    public void fold(final int id, final long amount, final long v)
    {
        count[id]++;
        final long lo = sumLo[id];
        final long newLo = lo + amount;
        final long carry = Long.compareUnsigned(newLo, lo) < 0 ? 1 : 0;
        sumLo[id] = newLo;
        sumHi[id] += (amount >> 63) + carry;
        version[id] = v;
    }

    /** Removes the entry from the table and returns its id to the free list; its chain link is reused. */
    public void remove(final int id)
    {
        int slot = hash(account[id], windowStart[id], meta[id]) & mask;
        while (table[slot] != id + 1)
        {
            slot = (slot + 1) & mask;
        }
        // Backward-shift deletion: move later entries of the probe run into the hole so lookups need no tombstones.
        int hole = slot;
        int i = (hole + 1) & mask;
        while (table[i] != 0)
        {
            final int other = table[i] - 1;
            final int home = hash(account[other], windowStart[other], meta[other]) & mask;
            if (((i - home) & mask) >= ((i - hole) & mask))
            {
                table[hole] = table[i];
                hole = i;
            }
            i = (i + 1) & mask;
        }
        table[hole] = 0;
        next[id] = freeHead;
        freeHead = id;
        size--;
    }

    public boolean dirty(final int id)
    {
        return version[id] != emitted[id];
    }

    /** Emits the entry's current row and marks it clean. */
    public void emit(final int id, final RowSink sink)
    {
        final long m = meta[id];
        if (emittedCount == null)
        {
            sink.onRow((int)(m >>> 16) & 0xFF, windowStart[id], account[id], (int)(m & 0xFFFF), (int)(m >>> 24),
                count[id], sumLo[id], sumHi[id], version[id]);
        }
        else
        {
            final long lo = sumLo[id] - emittedSumLo[id];
            final long borrow = Long.compareUnsigned(sumLo[id], emittedSumLo[id]) < 0 ? 1 : 0;
            sink.onRow((int)(m >>> 16) & 0xFF, windowStart[id], account[id], (int)(m & 0xFFFF), (int)(m >>> 24),
                count[id] - emittedCount[id], lo, sumHi[id] - emittedSumHi[id] - borrow, version[id]);
            emittedCount[id] = count[id];
            emittedSumLo[id] = sumLo[id];
            emittedSumHi[id] = sumHi[id];
        }
        emitted[id] = version[id];
    }


    public int next(final int id)
    {
        return next[id];
    }




    private int allocate()
    {
        if (freeHead != NONE)
        {
            final int id = freeHead;
            freeHead = next[id];
            return id;
        }
        if (highWater == account.length)
        {
            grow(account.length << 1);
        }
        return highWater++;
    }

    private void grow(final int capacity)
    {
        account = Arrays.copyOf(account, capacity);
        windowStart = Arrays.copyOf(windowStart, capacity);
        meta = Arrays.copyOf(meta, capacity);
        count = Arrays.copyOf(count, capacity);
        sumLo = Arrays.copyOf(sumLo, capacity);
        sumHi = Arrays.copyOf(sumHi, capacity);
        version = Arrays.copyOf(version, capacity);
        emitted = Arrays.copyOf(emitted, capacity);
        if (emittedCount != null)
        {
            emittedCount = Arrays.copyOf(emittedCount, capacity);
            emittedSumLo = Arrays.copyOf(emittedSumLo, capacity);
            emittedSumHi = Arrays.copyOf(emittedSumHi, capacity);
        }
        next = Arrays.copyOf(next, capacity);
    }

    private void rehash(final int slots)
    {
        final int[] old = table;
        table = new int[slots];
        mask = slots - 1;
        for (final int ref : old)
        {
            if (ref != 0)
            {
                final int id = ref - 1;
                int slot = hash(account[id], windowStart[id], meta[id]) & mask;
                while (table[slot] != 0)
                {
                    slot = (slot + 1) & mask;
                }
                table[slot] = ref;
            }
        }
    }

    private static int hash(final long accountId, final long start, final long metaKey)
    {
        long h = accountId * 0x9E3779B97F4A7C15L;
        h ^= start * 0xC2B2AE3D27D4EB4FL;
        h ^= metaKey * 0x165667B19E3779F9L;
        h ^= h >>> 29;
        h *= 0xBF58476D1CE4E5B9L;
        return (int)(h ^ (h >>> 32));
    }
}
