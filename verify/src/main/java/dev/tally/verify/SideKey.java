package dev.tally.verify;

/**
 * Identity of a side-output entry, as {@code late_events} is keyed.
 *
 * @param partition source partition.
 * @param offset    offset of the record in that partition.
 * @param kind      {@link WindowRules#NONE} for malformed and future records, else the window kind it was late for.
 */
record SideKey(int partition, long offset, int kind)
{
    @Override
    public String toString()
    {
        return "partition=" + partition + " offset=" + offset + " window_kind=" + kind;
    }
}
