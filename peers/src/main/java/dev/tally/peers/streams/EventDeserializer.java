package dev.tally.peers.streams;

import org.apache.kafka.common.serialization.Deserializer;

import dev.tally.peers.EventDecoding;

/**
 * The source's value deserializer: decodes a record value in either form with tally's codec. A malformed value
 * becomes null rather than an exception, so the topology can count it and drop it (as tally sends it to its side
 * output) instead of stopping or leaving it to Streams' deserialization handler. One instance is shared by every
 * task and stream thread, hence the decoder per thread.
 */
public final class EventDeserializer implements Deserializer<Event>
{
    private final ThreadLocal<EventDecoding> decoding = ThreadLocal.withInitial(EventDecoding::new);

    @Override
    public Event deserialize(final String topic, final byte[] data)
    {
        final EventDecoding d = decoding.get();
        return d.decode(data) ? Event.of(d.event()) : null;
    }
}
