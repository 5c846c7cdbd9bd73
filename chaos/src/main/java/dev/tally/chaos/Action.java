package dev.tally.chaos;

/** One scheduled fault: what, and when in seconds after the generator started. */
record Action(double atSeconds, Kind kind)
{
    enum Kind
    {
        KILL("engine kill -9"),
        KILL_TWICE("engine kill -9, again during recovery"),
        CLICKHOUSE_RESTART("clickhouse kill -9 + restart"),
        BROKER_RESTART("broker kill -9 + restart"),
        BROKER_LOSS("1 of 3 brokers down 10s"),
        JOIN_LEAVE("2nd instance joins, leaves"),
        JOIN_KILL("2nd instance joins, kill -9");

        private final String label;

        Kind(final String label)
        {
            this.label = label;
        }

        String label()
        {
            return label;
        }
    }
}
