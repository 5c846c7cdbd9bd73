package dev.tally.stack.clickhouse;

import java.util.Locale;

/**
 * What the local server can be told to do to the next inserts, for tests of the engine's exactly-once path.
 * Faults are armed per kind with a count and fire on inserts only; other queries are never touched.
 */
public enum Fault
{
    /** Read the body, then answer HTTP 500 without applying anything. */
    FAIL_BEFORE_APPLY,
    /** Apply the insert, then drop the connection without a response: committed but never acknowledged. */
    LOSE_ACK,
    /** Hold the insert before applying it until the faults are cleared; then apply it as usual. */
    STALL,
    /** Sleep the armed number of milliseconds before applying the insert. */
    LATENCY;

    /** The name used on the admin endpoint, e.g. {@code fail_before_apply}. */
    public String wireName()
    {
        return name().toLowerCase(Locale.ROOT);
    }
}
