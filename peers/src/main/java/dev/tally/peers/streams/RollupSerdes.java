package dev.tally.peers.streams;

import java.nio.ByteBuffer;

import org.apache.kafka.common.errors.SerializationException;
import org.apache.kafka.common.serialization.Deserializer;
import org.apache.kafka.common.serialization.Serde;
import org.apache.kafka.common.serialization.Serdes;
import org.apache.kafka.common.serialization.Serializer;

import dev.tally.codec.Country;

/**
 * Fixed-size big-endian serdes for what the topology stores and sends: the key (10 bytes: account, country
 * letters), the aggregate (24 bytes) and the output row (35 bytes). The events themselves are read with
 * {@link EventDeserializer}; the topology never writes an event.
 */
public final class RollupSerdes
{
    static final int KEY_BYTES = 10;
    static final int ROLLUP_BYTES = 24;
    static final int ROW_BYTES = 35;

    private RollupSerdes()
    {
    }

    /** @return the serde of {@link AccountCountry}, used by the repartition topic and the window stores. */
    public static Serde<AccountCountry> key()
    {
        final Serializer<AccountCountry> serializer = (topic, key) -> key == null ? null :
            ByteBuffer.allocate(KEY_BYTES).putLong(key.accountId())
                .put((byte)Country.first(key.country())).put((byte)Country.second(key.country())).array();
        final Deserializer<AccountCountry> deserializer = (topic, data) ->
        {
            if (data == null)
            {
                return null;
            }
            final ByteBuffer b = sized(data, KEY_BYTES, "key");
            return new AccountCountry(b.getLong(), Country.pack(b.get(), b.get()));
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }

    /** @return the serde of {@link Rollup}, used by the repartition topic, the window stores and their changelogs. */
    public static Serde<Rollup> rollup()
    {
        final Serializer<Rollup> serializer = (topic, r) -> r == null ? null :
            ByteBuffer.allocate(ROLLUP_BYTES).putLong(r.count()).putLong(r.sum()).putLong(r.lastKafkaTimestamp()).array();
        final Deserializer<Rollup> deserializer = (topic, data) ->
        {
            if (data == null)
            {
                return null;
            }
            final ByteBuffer b = sized(data, ROLLUP_BYTES, "rollup");
            return new Rollup(b.getLong(), b.getLong(), b.getLong());
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }

    /** @return the serde of {@link RollupRow}, the output topic's value. */
    public static Serde<RollupRow> row()
    {
        final Serializer<RollupRow> serializer = (topic, r) -> r == null ? null :
            ByteBuffer.allocate(ROW_BYTES).put((byte)r.kind()).putLong(r.windowStart()).putLong(r.accountId())
                .put((byte)Country.first(r.country())).put((byte)Country.second(r.country()))
                .putLong(r.count()).putLong(r.sum()).array();
        final Deserializer<RollupRow> deserializer = (topic, data) ->
        {
            if (data == null)
            {
                return null;
            }
            final ByteBuffer b = sized(data, ROW_BYTES, "row");
            return new RollupRow(b.get(), b.getLong(), b.getLong(), Country.pack(b.get(), b.get()), b.getLong(), b.getLong());
        };
        return Serdes.serdeFrom(serializer, deserializer);
    }

    /** @return the source's value serde: decoding only ({@link EventDeserializer}); serializing is refused. */
    public static Serde<Event> event()
    {
        final Serializer<Event> serializer = (topic, e) ->
        {
            throw new UnsupportedOperationException("the Streams rollup reads events and never writes them");
        };
        return Serdes.serdeFrom(serializer, new EventDeserializer());
    }

    private static ByteBuffer sized(final byte[] data, final int length, final String what)
    {
        if (data.length != length)
        {
            throw new SerializationException(what + " of " + data.length + " bytes, expected " + length);
        }
        return ByteBuffer.wrap(data);
    }
}
