package dev.tally.journal;

/**
 * When the journal forces its entries to the storage device.
 */
public enum SyncPolicy
{
    /**
     * Entries go to the memory-mapped file only; the OS page cache writes them back when it chooses. An entry whose
     * append returned survives the process being killed (even SIGKILL), but not a power loss or a kernel crash.
     */
    NONE,

    /**
     * Every entry is forced with {@code msync(MS_SYNC)} on the pages it wrote before its append returns, and the
     * directory is forced when a new roll-cycle file appears, so an entry whose append returned also survives a
     * power loss (as far as the device honours the flush).
     */
    SYNC
}
