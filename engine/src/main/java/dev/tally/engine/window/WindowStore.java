package dev.tally.engine.window;

import java.util.Arrays;

/**
 * Live window rows, one per (account, window start, partition, kind, country), found by an open-addressing hash
 * table of entry ids. A row's fields are contiguous (an array of structs), so finding, checking and folding one row
 * reads one 64-byte run of memory, one or two cache lines, instead of one line per field.
 * <p>
 * Rows live in fixed pages of {@link #PAGE_ROWS} rows, added as the store grows: growth allocates one page and
 * copies no row, so the windowing thread never pauses to copy the state and capacity exceeds live rows by less
 * than a page. An id is stable while its entry lives (chains and the dirty list hold ids): its row is at
 * {@code rows[id >>> PAGE_SHIFT]}, longs {@code (id & PAGE_MASK) * ROW_LONGS} onwards. Pages are small enough
 * (256 KiB) that G1 never treats them as humongous, which would round each up to whole regions.
 * <pre>
 *   A row: ROW_LONGS = 8 longs, 64 bytes; field offsets in longs from (id & PAGE_MASK) << ROW_SHIFT
 *   +-----------------------------------------------------------------+
 *   | 0 ACCOUNT       account id                                      |  \
 *   | 1 WINDOW_START  window start, epoch ms                          |   } identity: find compares these
 *   | 2 META          partition << 24 | kind << 16 | country          |  /
 *   +-----------------------------------------------------------------+
 *   | 3 COUNT         records folded in                               |  \
 *   | 4 SUM_LO        sum of amounts, low 64 bits                     |   | aggregate: fold reads and
 *   | 5 SUM_HI        sum of amounts, high 64 bits (Int128 sum)       |   | writes these
 *   | 6 VERSION       version of the last record folded in            |  /
 *   +-----------------------------------------------------------------+
 *   | 7 EMITTED       version last emitted; dirty iff != VERSION      |
 *   +-----------------------------------------------------------------+
 *
 *   next[id >>> PAGE_SHIFT][id & PAGE_MASK]  int: next entry of the same window (chain), or of the free list
 *   table[slot]                              int: entry id + 1, 0 = empty (linear probing, backward-shift delete)
 * </pre>
 * The chain link lives in its own int pages: only insert, remove and the close-time walk read it. Delta emission
 * (the at-least-once baseline) keeps what each row last carried in pages of {@code DELTA_LONGS} longs, allocated
 * only when {@link #emitDeltas()} is called. Single writer: the windowing thread. Only growth allocates.
 */
public final class WindowStore
{
    public static final int NONE = -1;

    static final int PAGE_SHIFT = 12;
    /** Rows per page: a row page is 256 KiB, under half of G1's smallest region (1 MiB), so never humongous. */
    public static final int PAGE_ROWS = 1 << PAGE_SHIFT;
    static final int PAGE_MASK = PAGE_ROWS - 1;

    // Field offsets within a row, in longs (the javadoc's diagram).
    static final int ACCOUNT = 0;
    static final int WINDOW_START = 1;
    static final int META = 2;
    static final int COUNT = 3;
    static final int SUM_LO = 4;
    static final int SUM_HI = 5;
    static final int VERSION = 6;
    static final int EMITTED = 7;
    static final int ROW_SHIFT = 3;
    static final int ROW_LONGS = 1 << ROW_SHIFT;

    // Field offsets within a row's delta state, in longs.
    static final int EMITTED_COUNT = 0;
    static final int EMITTED_SUM_LO = 1;
    static final int EMITTED_SUM_HI = 2;
    static final int DELTA_LONGS = 3;

    /** Most of the hash slots in use before the table doubles. */
    public static final float LOAD_FACTOR = 0.6f;

    private int[] table;
    private int mask;
    private int size;

    private long[][] rows;
    private int[][] next;
    // Delta emission (the at-least-once baseline only): what the last emission carried; null when off.
    private long[][] deltas;
    private int pages;
    private int highWater;
    private int freeHead = NONE;

    public WindowStore(final int expectedRows)
    {
        final int entries = Math.max(16, expectedRows);
        final int slots = Integer.highestOneBit(Math.max(32, (int)(entries / LOAD_FACTOR)) - 1) << 1;
        table = new int[slots];
        mask = slots - 1;
        final int initialPages = (int)(((long)entries + PAGE_MASK) >>> PAGE_SHIFT);
        rows = new long[initialPages][];
        next = new int[initialPages][];
        while (pages < initialPages)
        {
            addPage();
        }
    }

    /**
     * From now on {@link #emit} hands out each row's change since its previous emission instead of its aggregate
     * (the at-least-once baseline, whose tables sum emissions). Call before the first record.
     */
    public void emitDeltas()
    {
        deltas = new long[rows.length][];
        for (int p = 0; p < pages; p++)
        {
            deltas[p] = new long[PAGE_ROWS * DELTA_LONGS];
        }
    }

    public static long meta(final int partition, final int kind, final int country)
    {
        return ((long)partition << 24) | ((long)kind << 16) | (country & 0xFFFF);
    }

    public int size()
    {
        return size;
    }

    /** Entries the allocated pages hold before another page is added. */
    public int capacity()
    {
        return pages << PAGE_SHIFT;
    }

    /** Slots of the hash table. */
    public int tableSlots()
    {
        return table.length;
    }

    /**
     * Bytes held in the table and the pages (element data, without array headers or the few KB of page directory),
     * whatever their load: the footprint to weigh against {@link #size()} live rows.
     */
    public long arrayBytes()
    {
        final long longsPerEntry = ROW_LONGS + (deltas != null ? DELTA_LONGS : 0);
        return (long)capacity() * (longsPerEntry * Long.BYTES + Integer.BYTES) + (long)table.length * Integer.BYTES;
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
            final long[] page = rows[id >>> PAGE_SHIFT];
            final int row = (id & PAGE_MASK) << ROW_SHIFT;
            if (page[row + ACCOUNT] == accountId && page[row + WINDOW_START] == start && page[row + META] == metaKey)
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
        final long[] page = rows[id >>> PAGE_SHIFT];
        final int row = (id & PAGE_MASK) << ROW_SHIFT;
        page[row + ACCOUNT] = accountId;
        page[row + WINDOW_START] = start;
        page[row + META] = metaKey;
        page[row + COUNT] = 0;
        page[row + SUM_LO] = 0;
        page[row + SUM_HI] = 0;
        page[row + VERSION] = 0;
        page[row + EMITTED] = 0;
        if (deltas != null)
        {
            Arrays.fill(deltas[id >>> PAGE_SHIFT], delta(id), delta(id) + DELTA_LONGS, 0);
        }
        next[id >>> PAGE_SHIFT][id & PAGE_MASK] = chainNext;

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
        final long[] page = rows[id >>> PAGE_SHIFT];
        final int row = (id & PAGE_MASK) << ROW_SHIFT;
        page[row + COUNT]++;
        final long lo = page[row + SUM_LO];
        final long newLo = lo + amount;
        final long carry = Long.compareUnsigned(newLo, lo) < 0 ? 1 : 0;
        page[row + SUM_LO] = newLo;
        page[row + SUM_HI] += (amount >> 63) + carry;
        page[row + VERSION] = v;
    }

    /** Removes the entry from the table and returns its id to the free list; its chain link is reused. */
    public void remove(final int id)
    {
        int slot = homeSlot(id);
        while (table[slot] != id + 1)
        {
            slot = (slot + 1) & mask;
        }
        // Backward-shift deletion: move later entries of the probe run into the hole so lookups need no tombstones.
        int hole = slot;
        int i = (hole + 1) & mask;
        while (table[i] != 0)
        {
            final int home = homeSlot(table[i] - 1);
            if (((i - home) & mask) >= ((i - hole) & mask))
            {
                table[hole] = table[i];
                hole = i;
            }
            i = (i + 1) & mask;
        }
        table[hole] = 0;
        next[id >>> PAGE_SHIFT][id & PAGE_MASK] = freeHead;
        freeHead = id;
        size--;
    }

    public boolean dirty(final int id)
    {
        final long[] page = rows[id >>> PAGE_SHIFT];
        final int row = (id & PAGE_MASK) << ROW_SHIFT;
        return page[row + VERSION] != page[row + EMITTED];
    }

    /** Emits the entry's current row and marks it clean. */
    public void emit(final int id, final RowSink sink)
    {
        final long[] page = rows[id >>> PAGE_SHIFT];
        final int row = (id & PAGE_MASK) << ROW_SHIFT;
        final long m = page[row + META];
        final long count = page[row + COUNT];
        final long sumLo = page[row + SUM_LO];
        final long sumHi = page[row + SUM_HI];
        final long version = page[row + VERSION];
        if (deltas == null)
        {
            sink.onRow((int)(m >>> 16) & 0xFF, page[row + WINDOW_START], page[row + ACCOUNT], (int)(m & 0xFFFF),
                (int)(m >>> 24), count, sumLo, sumHi, version);
        }
        else
        {
            final long[] last = deltas[id >>> PAGE_SHIFT];
            final int d = delta(id);
            final long lo = sumLo - last[d + EMITTED_SUM_LO];
            final long borrow = Long.compareUnsigned(sumLo, last[d + EMITTED_SUM_LO]) < 0 ? 1 : 0;
            sink.onRow((int)(m >>> 16) & 0xFF, page[row + WINDOW_START], page[row + ACCOUNT], (int)(m & 0xFFFF),
                (int)(m >>> 24), count - last[d + EMITTED_COUNT], lo, sumHi - last[d + EMITTED_SUM_HI] - borrow,
                version);
            last[d + EMITTED_COUNT] = count;
            last[d + EMITTED_SUM_LO] = sumLo;
            last[d + EMITTED_SUM_HI] = sumHi;
        }
        page[row + EMITTED] = version;
    }

    public int next(final int id)
    {
        return next[id >>> PAGE_SHIFT][id & PAGE_MASK];
    }

    private int allocate()
    {
        if (freeHead != NONE)
        {
            final int id = freeHead;
            freeHead = next(id);
            return id;
        }
        if (highWater == capacity())
        {
            addPage();
        }
        return highWater++;
    }

    /** One more page of rows (and of links and deltas); only the page directories, a few KB, are ever copied. */
    private void addPage()
    {
        if (pages == rows.length)
        {
            final int length = Math.max(1, pages << 1);
            rows = Arrays.copyOf(rows, length);
            next = Arrays.copyOf(next, length);
            if (deltas != null)
            {
                deltas = Arrays.copyOf(deltas, length);
            }
        }
        rows[pages] = new long[PAGE_ROWS << ROW_SHIFT];
        next[pages] = new int[PAGE_ROWS];
        if (deltas != null)
        {
            deltas[pages] = new long[PAGE_ROWS * DELTA_LONGS];
        }
        pages++;
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
                int slot = homeSlot(ref - 1);
                while (table[slot] != 0)
                {
                    slot = (slot + 1) & mask;
                }
                table[slot] = ref;
            }
        }
    }

    private int homeSlot(final int id)
    {
        final long[] page = rows[id >>> PAGE_SHIFT];
        final int row = (id & PAGE_MASK) << ROW_SHIFT;
        return hash(page[row + ACCOUNT], page[row + WINDOW_START], page[row + META]) & mask;
    }

    private static int delta(final int id)
    {
        return (id & PAGE_MASK) * DELTA_LONGS;
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
