package dev.tally.peers.streams;

/**
 * The aggregate of one window and key: how many events and the sum of their amounts (a signed 64-bit sum here;
 * tally keeps 128 bits, which the generator's amounts, capped at 10^9 each, never need at these counts), and the
 * newest Kafka timestamp among the records folded in, for the latency of the row that carries it.
 *
 * @param count              events folded in.
 * @param sum                sum of their amounts, minor units.
 * @param lastKafkaTimestamp the largest Kafka timestamp among them, -1 if unknown.
 */
public record Rollup(long count, long sum, long lastKafkaTimestamp)
{
    /**
     * @param event one event.
     * @return the aggregate of that event alone.
     */
    public static Rollup of(final Event event)
    {
        return new Rollup(1, event.amount(), event.kafkaTimestamp());
    }

    /**
     * @param other another aggregate of the same window and key.
     * @return the aggregate of both.
     */
    public Rollup plus(final Rollup other)
    {
        return new Rollup(count + other.count, sum + other.sum, Math.max(lastKafkaTimestamp, other.lastKafkaTimestamp));
    }
}
