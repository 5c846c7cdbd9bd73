package dev.tally.engine.window;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;

import static dev.tally.engine.window.WindowStore.NONE;
import static dev.tally.engine.window.WindowStore.PAGE_ROWS;
import static org.assertj.core.api.Assertions.assertThat;

/**
 * The store's footprint figures (which the window-state benchmark divides by live rows) and its paging: rows on
 * either side of a page boundary, ids freed and reused across pages, and growth under live chains and dirty rows.
 */
class WindowStoreTest
{
    /** Per entry: a row of 8 longs and the chain link (an int). */
    private static final int ENTRY_BYTES = 8 * Long.BYTES + Integer.BYTES;
    private static final long START = 1_767_225_600_000L;
    private static final int US = 0x5553;

    private final List<long[]> emitted = new ArrayList<>();
    private final RowSink sink = (kind, start, account, country, partition, count, lo, hi, version) ->
        emitted.add(new long[] {kind, start, account, country, partition, count, lo, hi, version});

    @Test
    void arrayBytesCountsTheTableAndWholePages()
    {
        final WindowStore store = new WindowStore(16);
        assertThat(store.capacity()).isEqualTo(PAGE_ROWS);
        assertThat(store.tableSlots()).isEqualTo(32); // 16 / 0.6 rounded up to a power of two
        assertThat(store.arrayBytes()).isEqualTo((long)PAGE_ROWS * ENTRY_BYTES + 32L * Integer.BYTES);
        assertThat(new WindowStore(PAGE_ROWS + 1).capacity()).isEqualTo(2 * PAGE_ROWS);
        assertThat(new WindowStore(PAGE_ROWS).capacity()).isEqualTo(PAGE_ROWS);
    }

    @Test
    void growthAddsOnePageWhenTheLastIsFull()
    {
        final WindowStore store = new WindowStore(PAGE_ROWS);
        for (int i = 0; i < PAGE_ROWS; i++)
        {
            store.insert(i + 1, START, meta(i), NONE);
        }
        assertThat(store.capacity()).isEqualTo(PAGE_ROWS);
        assertThat(store.insert(PAGE_ROWS + 1, START, meta(0), NONE)).isEqualTo(PAGE_ROWS);
        assertThat(store.size()).isEqualTo(PAGE_ROWS + 1);
        assertThat(store.capacity()).isEqualTo(2 * PAGE_ROWS);
        assertThat(store.arrayBytes())
            .isEqualTo(2L * PAGE_ROWS * ENTRY_BYTES + (long)store.tableSlots() * Integer.BYTES);
    }

    @Test
    void deltaEmissionAddsThreeLongsPerEntry()
    {
        final WindowStore store = new WindowStore(16);
        store.emitDeltas();
        assertThat(store.arrayBytes())
            .isEqualTo((long)PAGE_ROWS * (ENTRY_BYTES + 3 * Long.BYTES) + 32L * Integer.BYTES);
    }

    @Test
    void rowsOnEitherSideOfPageBoundariesKeepTheirOwnFields()
    {
        final int n = 3 * PAGE_ROWS + 1;
        final WindowStore store = new WindowStore(16);
        for (int i = 0; i < n; i++)
        {
            assertThat(store.insert(account(i), START, meta(i), NONE)).isEqualTo(i);
            store.fold(i, amount(i), version(i));
        }
        store.fold(PAGE_ROWS - 1, -1, version(PAGE_ROWS - 1) + 1);
        assertThat(store.capacity()).isEqualTo(4 * PAGE_ROWS);
        for (int i = 0; i < n; i++)
        {
            assertThat(store.find(account(i), START, meta(i))).isEqualTo(i);
            assertThat(store.dirty(i)).isTrue();
            store.emit(i, sink);
            assertThat(store.dirty(i)).isFalse();
        }
        for (int i = 0; i < n; i++)
        {
            final long[] row = emitted.get(i);
            final boolean twice = i == PAGE_ROWS - 1;
            assertThat(row).as("row %d", i).containsExactly(WindowKind.MINUTE, START, account(i), US, i % 7,
                twice ? 2 : 1, amount(i) - (twice ? 1 : 0), 0, version(i) + (twice ? 1 : 0));
        }
    }

    @Test
    void idsFreedAtPageEdgesAreReusedLastFreedFirstAndZeroed()
    {
        final WindowStore store = new WindowStore(16);
        final int n = 2 * PAGE_ROWS + 2;
        for (int i = 0; i < n; i++)
        {
            store.insert(account(i), START, meta(i), NONE);
            store.fold(i, amount(i), version(i));
        }
        final int[] edges = {PAGE_ROWS - 1, PAGE_ROWS, 2 * PAGE_ROWS - 1, 2 * PAGE_ROWS};
        for (final int id : edges)
        {
            store.remove(id);
        }
        assertThat(store.size()).isEqualTo(n - edges.length);
        for (int i = 0; i < n; i++)
        {
            final boolean removed = i == edges[0] || i == edges[1] || i == edges[2] || i == edges[3];
            assertThat(store.find(account(i), START, meta(i))).as("entry %d", i).isEqualTo(removed ? NONE : i);
        }

        final int capacity = store.capacity();
        for (int k = edges.length - 1; k >= 0; k--)
        {
            final int id = store.insert(account(n + k), START, meta(n + k), edges[0]);
            assertThat(id).isEqualTo(edges[k]);
            assertThat(store.next(id)).isEqualTo(edges[0]);
            assertThat(store.dirty(id)).isFalse();
            store.emit(id, sink);
            assertThat(emitted.getLast()).containsExactly(WindowKind.MINUTE, START, account(n + k), US,
                (n + k) % 7, 0, 0, 0, 0);
        }
        assertThat(store.capacity()).as("reuse adds no page").isEqualTo(capacity);
        for (int i = 0; i < n; i++)
        {
            final int id = store.find(account(i), START, meta(i));
            if (id != NONE)
            {
                store.emit(id, sink);
                assertThat(emitted.getLast()).as("neighbour %d", i)
                    .containsExactly(WindowKind.MINUTE, START, account(i), US, i % 7, 1, amount(i), 0, version(i));
            }
        }
    }

    @Test
    void growthKeepsChainsAndDirtyRowsAcrossPages()
    {
        final WindowStore store = new WindowStore(16);
        int head = NONE;
        for (int i = 0; i < PAGE_ROWS + 2; i++)
        {
            head = store.insert(account(i), START, meta(i), head);
            if ((i & 1) == 0)
            {
                store.fold(head, amount(i), version(i));
            }
        }
        final int slotsBefore = store.tableSlots();
        for (int i = PAGE_ROWS + 2; i < 2 * PAGE_ROWS + 2; i++)
        {
            head = store.insert(account(i), START, meta(i), head);
        }
        assertThat(store.tableSlots()).as("the table rehashed too").isGreaterThan(slotsBefore);
        assertThat(store.capacity()).isEqualTo(3 * PAGE_ROWS);

        int walked = 0;
        for (int id = head, expected = 2 * PAGE_ROWS + 1; id != NONE; id = store.next(id), expected--)
        {
            assertThat(id).isEqualTo(expected);
            assertThat(store.find(account(id), START, meta(id))).isEqualTo(id);
            final boolean folded = id < PAGE_ROWS + 2 && (id & 1) == 0;
            assertThat(store.dirty(id)).as("entry %d", id).isEqualTo(folded);
            if (folded)
            {
                store.emit(id, sink);
                assertThat(emitted.getLast())
                    .containsExactly(WindowKind.MINUTE, START, account(id), US, id % 7, 1, amount(id), 0, version(id));
            }
            walked++;
        }
        assertThat(walked).isEqualTo(2 * PAGE_ROWS + 2);
    }

    @Test
    void deltaEmissionAcrossPagesSubtractsWhatEachRowLastCarried()
    {
        final WindowStore store = new WindowStore(16);
        store.emitDeltas();
        final int n = PAGE_ROWS + 1;
        for (int i = 0; i < n; i++)
        {
            store.insert(account(i), START, meta(i), NONE);
            store.fold(i, amount(i), version(i));
        }
        for (int id = 0; id < n; id++)
        {
            store.emit(id, sink);
        }
        for (int id = 0; id < n; id++)
        {
            store.fold(id, 5, version(id) + 1);
            store.emit(id, sink);
            assertThat(emitted.getLast()).as("entry %d", id)
                .containsExactly(WindowKind.MINUTE, START, account(id), US, id % 7, 1, 5, 0, version(id) + 1);
        }
    }

    private static long account(final int i)
    {
        return 1_000_000L + i;
    }

    private static long meta(final int i)
    {
        return WindowStore.meta(i % 7, WindowKind.MINUTE, US);
    }

    private static long amount(final int i)
    {
        return 1_000L * i + 3;
    }

    private static long version(final int i)
    {
        return (long)i + 1;
    }
}
