package dev.tally.peers.streams;

import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.Properties;

import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.utils.Bytes;
import org.apache.kafka.streams.KeyValue;
import org.apache.kafka.streams.StreamsBuilder;
import org.apache.kafka.streams.Topology;
import org.apache.kafka.streams.kstream.Consumed;
import org.apache.kafka.streams.kstream.Grouped;
import org.apache.kafka.streams.kstream.KGroupedStream;
import org.apache.kafka.streams.kstream.Materialized;
import org.apache.kafka.streams.kstream.Named;
import org.apache.kafka.streams.kstream.Produced;
import org.apache.kafka.streams.kstream.TimeWindows;
import org.apache.kafka.streams.state.WindowStore;

/**
 * tally's rollup as a Kafka Streams user writes it with the DSL: decode (counting and dropping malformed values),
 * key by (account, country), then a tumbling one-minute and a tumbling one-hour window, each reducing to count and
 * sum, each update written to the output topic keyed by account (8 bytes big-endian, like the input).
 * <p>
 * Re-keying makes Streams put a repartition topic between the decode and the windows, although the input is
 * already partitioned by account and so by (account, country): the DSL has no way to say so. Every record therefore
 * goes through Kafka twice, and both window stores have a changelog topic; all three are written in the same
 * exactly-once transactions as the output. {@code topology.optimization=all} lets both windows share one
 * repartition topic.
 * <p>
 * Grace versus tally's lateness. Streams drops a record for a window ending at {@code E} when the task's stream
 * time (the largest record timestamp, here event time, it has seen, this record included) is at least
 * {@code E + grace}; equality is late, as in tally. tally judges a record by its partition's watermark, the largest
 * event time of the partition's earlier well-formed, non-future records minus the watermark delay (2 s), against
 * {@code E + allowed lateness} (30 s). So with grace equal to the allowed lateness Streams closes windows 2 s of
 * event time earlier than tally (grace = lateness + delay would put the boundaries level); its stream time is per
 * task, i.e. per repartition partition, which mixes records of every input partition, while tally's watermark is per
 * input partition; Streams has no future-skew rule, so one record far in the future closes every window of its task;
 * and a late record is dropped and counted in Streams' {@code dropped-records} metric rather than sent to a side
 * output. On the generator's streams, which are partition-local in time, the outcomes differ only for records within
 * those 2 s of a boundary.
 */
public final class RollupTopology
{
    private RollupTopology()
    {
    }

    /**
     * @param inputTopic  events.
     * @param outputTopic where the rows go; must exist.
     * @param grace       how long past its end, in stream time, a window still takes records.
     * @param counters    what the running topology counts.
     * @param config      the Streams configuration (the optimization setting is read from it).
     * @return the topology.
     */
    public static Topology build(final String inputTopic, final String outputTopic, final Duration grace,
        final RollupCounters counters, final Properties config)
    {
        final StreamsBuilder builder = new StreamsBuilder();
        final KGroupedStream<AccountCountry, Rollup> byKey = builder
            .stream(inputTopic, Consumed.with(Serdes.ByteArray(), RollupSerdes.event())
                .withTimestampExtractor(new EventTimeExtractor()).withName("events"))
            .filter((account, event) -> counters.onRecord(event), Named.as("well-formed"))
            .map((account, event) -> KeyValue.pair(new AccountCountry(event.accountId(), event.country()), Rollup.of(event)),
                Named.as("key-by-account-country"))
            .groupByKey(Grouped.with("by-account-country", RollupSerdes.key(), RollupSerdes.rollup()));
        window(byKey, RollupRow.MINUTE, "minute", Duration.ofMinutes(1), grace, counters, outputTopic);
        window(byKey, RollupRow.HOUR, "hour", Duration.ofHours(1), grace, counters, outputTopic);
        return builder.build(config);
    }

    private static void window(final KGroupedStream<AccountCountry, Rollup> byKey, final int kind, final String name,
        final Duration size, final Duration grace, final RollupCounters counters, final String outputTopic)
    {
        byKey.windowedBy(TimeWindows.ofSizeAndGrace(size, grace))
            .reduce(Rollup::plus, Named.as(name + "-reduce"),
                Materialized.<AccountCountry, Rollup, WindowStore<Bytes, byte[]>>as(name + "-rollups")
                    .withKeySerde(RollupSerdes.key()).withValueSerde(RollupSerdes.rollup()))
            .toStream(Named.as(name + "-updates"))
            .map((windowed, rollup) ->
            {
                counters.onRow(rollup);
                final AccountCountry key = windowed.key();
                return KeyValue.pair(ByteBuffer.allocate(Long.BYTES).putLong(key.accountId()).array(),
                    new RollupRow(kind, windowed.window().start(), key.accountId(), key.country(), rollup.count(), rollup.sum()));
            }, Named.as(name + "-rows"))
            .to(outputTopic, Produced.with(Serdes.ByteArray(), RollupSerdes.row()).withName(name + "-out"));
    }
}
