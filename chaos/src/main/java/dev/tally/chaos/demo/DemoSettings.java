package dev.tally.chaos.demo;

import java.nio.file.Path;

/**
 * One {@code ./tally demo}, as its flags set it.
 *
 * @param events        events the generator produces
 * @param rate          events per second, paced
 * @param keepData      keep what earlier demos left (their topic, tables, journal) and use new names for this run
 * @param bootstrap     the user's Kafka, or null for the local stack
 * @param clickhouseUrl the user's ClickHouse, or null for the local stack
 * @param down          stop what the demo started once it has reported
 * @param seed          seed of the generated stream
 * @param varDir        runtime data: the local stack's state and data, and the demo's own files under demo/
 * @param privateStack  a folder of its own was given: start the stack on free ports, never the default ones
 */
record DemoSettings(long events, int rate, boolean keepData, String bootstrap, String clickhouseUrl, boolean down,
    long seed, Path varDir, boolean privateStack)
{
    static final int PARTITIONS = 8;

    DemoSettings
    {
        require(events >= 10_000, "--events must be at least 10000");
        require(rate >= 1_000 && rate <= 2_000_000, "--rate must be in [1000, 2000000] events/s");
        require((bootstrap == null) == (clickhouseUrl == null),
            "--bootstrap and --clickhouse-url go together (your own Kafka and ClickHouse), or neither (the local stack)");
    }

    /** The user's own Kafka and ClickHouse: nothing of the local stack is started, no ClickHouse fault is injected. */
    boolean external()
    {
        return bootstrap != null;
    }

    /** Seconds the generator needs at the paced rate. */
    double flowSeconds()
    {
        return (double)events / rate;
    }

    private static void require(final boolean condition, final String message)
    {
        if (!condition)
        {
            throw new IllegalArgumentException(message);
        }
    }
}
