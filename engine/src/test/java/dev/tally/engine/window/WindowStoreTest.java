package dev.tally.engine.window;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The store's footprint figures, which the window-state benchmark divides by live rows. */
class WindowStoreTest
{
    /** Per entry: account, windowStart, meta, count, sumLo, sumHi, version, emitted (longs) and next (an int). */
    private static final int ENTRY_BYTES = 8 * Long.BYTES + Integer.BYTES;

    @Test
    void arrayBytesCountsEveryArrayAtItsCapacity()
    {
        final WindowStore store = new WindowStore(16);
        assertThat(store.capacity()).isEqualTo(16);
        assertThat(store.tableSlots()).isEqualTo(32); // 16 / 0.6 rounded up to a power of two
        assertThat(store.arrayBytes()).isEqualTo(16L * ENTRY_BYTES + 32L * Integer.BYTES);
    }

    @Test
    void arrayBytesFollowsGrowthNotLoad()
    {
        final WindowStore store = new WindowStore(16);
        for (int i = 0; i < 17; i++)
        {
            store.insert(i + 1, 0, WindowStore.meta(0, 0, 0x5553), WindowStore.NONE);
        }
        assertThat(store.size()).isEqualTo(17);
        assertThat(store.capacity()).isEqualTo(32);
        assertThat(store.tableSlots()).isEqualTo(32);
        assertThat(store.arrayBytes()).isEqualTo(32L * ENTRY_BYTES + 32L * Integer.BYTES);
    }

    @Test
    void deltaEmissionAddsThreeLongsPerEntry()
    {
        final WindowStore store = new WindowStore(16);
        store.emitDeltas();
        assertThat(store.arrayBytes()).isEqualTo(16L * (ENTRY_BYTES + 3 * Long.BYTES) + 32L * Integer.BYTES);
    }
}
