package dev.tally.codec;

import static dev.tally.codec.WireFormat.ACCOUNT_ID_OFFSET;
import static dev.tally.codec.WireFormat.AMOUNT_OFFSET;
import static dev.tally.codec.WireFormat.COUNTRY_OFFSET;
import static dev.tally.codec.WireFormat.EVENT_ID_HI_OFFSET;
import static dev.tally.codec.WireFormat.EVENT_ID_LO_OFFSET;
import static dev.tally.codec.WireFormat.EVENT_TIME_OFFSET;
import static dev.tally.codec.WireFormat.HEADER_LENGTH;
import static dev.tally.codec.WireFormat.KIND_OFFSET;
import static dev.tally.codec.WireFormat.PAYLOAD_LENGTH_OFFSET;
import static dev.tally.codec.WireFormat.RESERVED_OFFSET;
import static dev.tally.codec.WireFormat.VERSION;
import static dev.tally.codec.WireFormat.VERSION_OFFSET;

import java.nio.ByteOrder;

import org.agrona.DirectBuffer;

/**
 * Flyweight that validates and reads a binary event value, format version 1, from a {@link DirectBuffer}.
 * The layout is drawn in {@link WireFormat}. {@link #wrap} checks the whole value and returns a
 * {@link DecodeResult} code; the getters are meaningful only after it returned {@link DecodeResult#OK}.
 * <p>
 * A value is well formed iff it is at least 48 bytes, version is 1, kind is 0..3, country is two letters A-Z,
 * reserved is 0 and the value is exactly {@code 48 + payload_len} bytes long. Nothing here allocates.
 */
public final class EventDecoder
{
    private DirectBuffer buffer;
    private int offset;

    /**
     * Point the flyweight at a value and validate it.
     *
     * @param buffer holding the value.
     * @param offset where the value starts.
     * @param length length of the value (the whole Kafka record value).
     * @return {@link DecodeResult#OK} or the reason the value is malformed.
     */
    public int wrap(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.offset = offset;
        if (length < HEADER_LENGTH)
        {
            return length > 0 && (buffer.getByte(offset + VERSION_OFFSET) & 0xFF) != VERSION ?
                DecodeResult.UNKNOWN_VERSION : DecodeResult.SHORT_BUFFER;
        }
        if ((buffer.getByte(offset + VERSION_OFFSET) & 0xFF) != VERSION)
        {
            return DecodeResult.UNKNOWN_VERSION;
        }
        if (!EventKind.isValid(buffer.getByte(offset + KIND_OFFSET) & 0xFF))
        {
            return DecodeResult.UNKNOWN_KIND;
        }
        if (!Country.isLetter(buffer.getByte(offset + COUNTRY_OFFSET)) ||
            !Country.isLetter(buffer.getByte(offset + COUNTRY_OFFSET + 1)))
        {
            return DecodeResult.BAD_COUNTRY;
        }
        if (buffer.getShort(offset + RESERVED_OFFSET, ByteOrder.LITTLE_ENDIAN) != 0)
        {
            return DecodeResult.RESERVED_NOT_ZERO;
        }
        final int expected = HEADER_LENGTH + payloadLength();
        if (expected > length)
        {
            return DecodeResult.PAYLOAD_PAST_END;
        }
        return expected == length ? DecodeResult.OK : DecodeResult.TRAILING_BYTES;
    }

    /**
     * Validate a value and copy its fields into an event holder.
     *
     * @param buffer holding the value.
     * @param offset where the value starts.
     * @param length length of the value.
     * @param out    receives the fields when the result is OK; untouched otherwise.
     * @return {@link DecodeResult#OK} or the reason the value is malformed.
     */
    public int decode(final DirectBuffer buffer, final int offset, final int length, final MutableEvent out)
    {
        final int result = wrap(buffer, offset, length);
        if (result == DecodeResult.OK)
        {
            out.eventId(eventIdHi(), eventIdLo())
                .accountId(accountId())
                .eventTime(eventTime())
                .amount(amount())
                .kind(kind())
                .country(country())
                .payloadLength(payloadLength());
        }
        return result;
    }

    public int kind()
    {
        return buffer.getByte(offset + KIND_OFFSET) & 0xFF;
    }

    /** @return the country packed as by {@link Country#pack(int, int)}. */
    public int country()
    {
        return Country.pack(buffer.getByte(offset + COUNTRY_OFFSET), buffer.getByte(offset + COUNTRY_OFFSET + 1));
    }

    public int payloadLength()
    {
        return buffer.getShort(offset + PAYLOAD_LENGTH_OFFSET, ByteOrder.LITTLE_ENDIAN) & 0xFFFF;
    }

    public long eventIdHi()
    {
        return buffer.getLong(offset + EVENT_ID_HI_OFFSET, ByteOrder.LITTLE_ENDIAN);
    }

    public long eventIdLo()
    {
        return buffer.getLong(offset + EVENT_ID_LO_OFFSET, ByteOrder.LITTLE_ENDIAN);
    }

    public long accountId()
    {
        return buffer.getLong(offset + ACCOUNT_ID_OFFSET, ByteOrder.LITTLE_ENDIAN);
    }

    /** @return event time, epoch milliseconds UTC. */
    public long eventTime()
    {
        return buffer.getLong(offset + EVENT_TIME_OFFSET, ByteOrder.LITTLE_ENDIAN);
    }

    /** @return amount in minor units. */
    public long amount()
    {
        return buffer.getLong(offset + AMOUNT_OFFSET, ByteOrder.LITTLE_ENDIAN);
    }

    /** @return where the payload starts in the wrapped buffer. */
    public int payloadOffset()
    {
        return offset + HEADER_LENGTH;
    }

    /** @return the wrapped buffer, e.g. to read the payload. */
    public DirectBuffer buffer()
    {
        return buffer;
    }
}
