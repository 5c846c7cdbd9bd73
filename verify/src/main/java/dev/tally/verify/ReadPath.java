package dev.tally.verify;

/**
 * The two ways verify reads rollups from ClickHouse. Both must give the same rows, and both must equal the ground
 * truth: a difference between them means the stored rows break the versioning contract of docs/windowing.md.
 */
enum ReadPath
{
    /** The {@code rollup_*_final} views: the table read with FINAL, summed over source partitions. */
    FINAL_VIEW("final-view"),

    /** The base table: per source partition the content of the highest version (argMax), then summed. */
    ARGMAX_VERSION("argmax-version");

    private final String label;

    ReadPath(final String label)
    {
        this.label = label;
    }

    /** @return the name used in the report. */
    String label()
    {
        return label;
    }
}
