package dev.tally.chaos;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/** What a chaos run does to the pipeline; several can be combined ({@code --scenario kills,insert-faults}). */
enum Scenario
{
    /** SIGKILL of the engine at random moments, some while it is still recovering from the previous one. */
    KILLS("kills"),
    /** A fraction of inserts failed before apply, applied with the ack lost, or answered after the client timeout. */
    INSERT_FAULTS("insert-faults"),
    /** The ClickHouse server killed with SIGKILL and restarted on the same data. */
    CLICKHOUSE_RESTART("clickhouse-restart"),
    /** The only broker killed with SIGKILL and restarted. */
    BROKER_RESTART("broker-restart"),
    /** One of three brokers (RF=3) killed and kept down for a while, then restarted. */
    BROKER_LOSS("broker-loss"),
    /** A second engine instance joins and leaves, sometimes killed during the hand-over. */
    REBALANCE("rebalance");

    private final String flag;

    Scenario(final String flag)
    {
        this.flag = flag;
    }

    String flag()
    {
        return flag;
    }

    /** Parses a comma-separated list; {@code all} is every scenario except broker-restart (it needs 1 broker). */
    static Set<Scenario> parse(final String list)
    {
        final Set<Scenario> set = EnumSet.noneOf(Scenario.class);
        for (final String item : list.split(","))
        {
            final String name = item.strip().toLowerCase(Locale.ROOT);
            if (name.equals("all"))
            {
                set.addAll(EnumSet.complementOf(EnumSet.of(BROKER_RESTART)));
                continue;
            }
            boolean found = false;
            for (final Scenario s : values())
            {
                if (s.flag.equals(name))
                {
                    set.add(s);
                    found = true;
                }
            }
            if (!found)
            {
                throw new IllegalArgumentException("--scenario takes a comma-separated list of kills, insert-faults, " +
                    "clickhouse-restart, broker-restart, broker-loss, rebalance or all, not '" + item + "'");
            }
        }
        if (set.contains(BROKER_RESTART) && set.contains(BROKER_LOSS))
        {
            throw new IllegalArgumentException("--scenario: broker-restart runs 1 broker and broker-loss 3; pick one");
        }
        return set;
    }
}
