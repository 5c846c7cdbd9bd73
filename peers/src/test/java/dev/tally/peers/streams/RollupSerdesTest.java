package dev.tally.peers.streams;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Serde;
import org.junit.jupiter.api.Test;

import dev.tally.codec.Country;

class RollupSerdesTest
{
    @Test
    void keysAggregatesAndRowsRoundTrip()
    {
        final AccountCountry key = new AccountCountry(-3, Country.of("XK"));
        final Rollup rollup = new Rollup(5, -Long.MAX_VALUE, 1_767_261_600_123L);
        final RollupRow row = new RollupRow(RollupRow.HOUR, 1_767_261_600_000L, Long.MIN_VALUE, Country.of("ZA"), 9, -77);
        assertThat(roundTrip(RollupSerdes.key(), key)).isEqualTo(key);
        assertThat(roundTrip(RollupSerdes.rollup(), rollup)).isEqualTo(rollup);
        assertThat(roundTrip(RollupSerdes.row(), row)).isEqualTo(row);
        assertThat(RollupSerdes.row().serializer().serialize("t", row)).hasSize(RollupSerdes.ROW_BYTES);
    }

    @Test
    void aggregatesAddUpAndKeepTheNewestKafkaTimestamp()
    {
        assertThat(new Rollup(1, 10, 500).plus(new Rollup(2, -3, 400))).isEqualTo(new Rollup(3, 7, 500));
    }

    @Test
    void aValueOfTheWrongSizeIsRefused()
    {
        assertThatThrownBy(() -> RollupSerdes.rollup().deserializer().deserialize("t", new byte[23]))
            .isInstanceOf(SerializationException.class);
    }

    private static <T> T roundTrip(final Serde<T> serde, final T value)
    {
        return serde.deserializer().deserialize("t", serde.serializer().serialize("t", value));
    }
}
