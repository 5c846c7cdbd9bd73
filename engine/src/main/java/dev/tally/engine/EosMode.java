package dev.tally.engine;

import java.util.Locale;

/** How the engine lands rows: the product's exactly-once protocol, or the naive baseline it is measured against. */
public enum EosMode
{
    /**
     * Journal every batch before sending it, insert with a deduplication token, commit a partition's offsets only
     * from a checkpoint whose rows ClickHouse acknowledged, and recover window state from the commit's metadata.
     */
    EXACTLY_ONCE("exactly-once"),
    /**
     * The baseline: offsets committed every tick whatever the sink has done, plain inserts without tokens, each
     * emission a delta summed by the reader, state rebuilt from nothing after a restart. Counts twice what was
     * inserted but not yet committed when the engine died.
     */
    AT_LEAST_ONCE("at-least-once");

    private final String flag;

    EosMode(final String flag)
    {
        this.flag = flag;
    }

    public String flag()
    {
        return flag;
    }

    /** Parses the flag value; throws naming both accepted values. */
    public static EosMode parse(final String value)
    {
        for (final EosMode m : values())
        {
            if (m.flag.equals(value.toLowerCase(Locale.ROOT)))
            {
                return m;
            }
        }
        throw new IllegalArgumentException("--eos-mode must be exactly-once or at-least-once, not " + value);
    }
}
