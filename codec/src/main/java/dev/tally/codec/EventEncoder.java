package dev.tally.codec;

import static dev.tally.codec.WireFormat.ACCOUNT_ID_OFFSET;
import static dev.tally.codec.WireFormat.AMOUNT_OFFSET;
import static dev.tally.codec.WireFormat.COUNTRY_OFFSET;
import static dev.tally.codec.WireFormat.EVENT_ID_HI_OFFSET;
import static dev.tally.codec.WireFormat.EVENT_ID_LO_OFFSET;
import static dev.tally.codec.WireFormat.EVENT_TIME_OFFSET;
import static dev.tally.codec.WireFormat.HEADER_LENGTH;
import static dev.tally.codec.WireFormat.KIND_OFFSET;
import static dev.tally.codec.WireFormat.MAX_PAYLOAD_LENGTH;
import static dev.tally.codec.WireFormat.PAYLOAD_LENGTH_OFFSET;
import static dev.tally.codec.WireFormat.RESERVED_OFFSET;
import static dev.tally.codec.WireFormat.VERSION;
import static dev.tally.codec.WireFormat.VERSION_OFFSET;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;
import org.agrona.MutableDirectBuffer;

/**
 * Flyweight that writes a binary event value, format version 1, into a {@link MutableDirectBuffer}.
 * The layout is drawn in {@link WireFormat}. Wrap, write the fixed part, then write or copy the payload:
 * <pre>{@code
 *   encoder.wrap(buffer, offset).header(event);
 *   buffer.putBytes(encoder.payloadOffset(), payload, 0, event.payloadLength());
 *   int length = encoder.encodedLength();
 * }</pre>
 * Invariant: the encoder never writes a value the {@link EventDecoder} would report malformed.
 */
public final class EventEncoder
{
    private MutableDirectBuffer buffer;
    private int offset;
    private int payloadLength;

    /**
     * Point the flyweight at a buffer; the caller ensures room for {@link WireFormat#valueLength(int)} bytes.
     *
     * @param buffer destination.
     * @param offset where the value starts.
     * @return this.
     */
    public EventEncoder wrap(final MutableDirectBuffer buffer, final int offset)
    {
        this.buffer = buffer;
        this.offset = offset;
        this.payloadLength = 0;
        return this;
    }

    /**
     * Write the 48-byte fixed part from an event; the payload is left for the caller.
     *
     * @param event fields to write, including {@code payloadLength}.
     * @return this.
     * @throws IllegalArgumentException if the kind, country or payload length is not encodable.
     */
    public EventEncoder header(final MutableEvent event)
    {
        final int kind = event.kind();
        final int country = event.country();
        final int length = event.payloadLength();
        if (!EventKind.isValid(kind) || !Country.isValid(country) || length < 0 || length > MAX_PAYLOAD_LENGTH)
        {
            throw new IllegalArgumentException("not encodable: kind=" + kind + " country=" + country +
                " payloadLength=" + length);
        }
        final MutableDirectBuffer buffer = this.buffer;
        final int offset = this.offset;
        buffer.putByte(offset + VERSION_OFFSET, (byte)VERSION);
        buffer.putByte(offset + KIND_OFFSET, (byte)kind);
        buffer.putByte(offset + COUNTRY_OFFSET, (byte)Country.first(country));
        buffer.putByte(offset + COUNTRY_OFFSET + 1, (byte)Country.second(country));
        buffer.putShort(offset + PAYLOAD_LENGTH_OFFSET, (short)length, ByteOrder.LITTLE_ENDIAN);
        buffer.putShort(offset + RESERVED_OFFSET, (short)0, ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(offset + EVENT_ID_HI_OFFSET, event.eventIdHi(), ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(offset + EVENT_ID_LO_OFFSET, event.eventIdLo(), ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(offset + ACCOUNT_ID_OFFSET, event.accountId(), ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(offset + EVENT_TIME_OFFSET, event.eventTime(), ByteOrder.LITTLE_ENDIAN);
        buffer.putLong(offset + AMOUNT_OFFSET, event.amount(), ByteOrder.LITTLE_ENDIAN);
        this.payloadLength = length;
        return this;
    }

    /**
     * Write the fixed part and copy the payload from a source buffer.
     *
     * @param event         fields, including {@code payloadLength}.
     * @param payload       source of the payload bytes.
     * @param payloadOffset where the payload starts in the source.
     * @return the encoded length.
     */
    public int encode(final MutableEvent event, final DirectBuffer payload, final int payloadOffset)
    {
        header(event);
        buffer.putBytes(offset + HEADER_LENGTH, payload, payloadOffset, payloadLength);
        return encodedLength();
    }

    /** @return where the payload goes in the wrapped buffer. */
    public int payloadOffset()
    {
        return offset + HEADER_LENGTH;
    }

    /** @return length of the value written: fixed part plus payload. */
    public int encodedLength()
    {
        return HEADER_LENGTH + payloadLength;
    }
}
