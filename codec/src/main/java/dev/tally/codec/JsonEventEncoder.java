package dev.tally.codec;

import java.nio.charset.StandardCharsets;

import org.agrona.MutableDirectBuffer;

/**
 * Writes an event in its JSON form (see {@link JsonEventDecoder}) into a {@link MutableDirectBuffer}, without
 * allocating. Field order is fixed: event_id, account_id, country, event_time, amount, kind (as a name); no
 * whitespace. The longest output is {@link #MAX_LENGTH} bytes.
 */
public final class JsonEventEncoder
{
    /** Upper bound of an encoded object's length. */
    public static final int MAX_LENGTH = 192;

    private static final byte[] EVENT_ID = ascii("{\"event_id\":\"");
    private static final byte[] ACCOUNT_ID = ascii("\",\"account_id\":");
    private static final byte[] COUNTRY = ascii(",\"country\":\"");
    private static final byte[] EVENT_TIME = ascii("\",\"event_time\":");
    private static final byte[] AMOUNT = ascii(",\"amount\":");
    private static final byte[] KIND = ascii(",\"kind\":\"");
    private static final byte[] END = ascii("\"}");
    private static final byte[] DIGITS = ascii("0123456789abcdef");
    private static final byte[][] KIND_NAMES =
    {
        ascii(EventKind.name(0)), ascii(EventKind.name(1)), ascii(EventKind.name(2)), ascii(EventKind.name(3))
    };

    /**
     * Encode an event; the payload length is ignored (the JSON form carries no payload).
     *
     * @param event  fields to write.
     * @param buffer destination with room for {@link #MAX_LENGTH} bytes.
     * @param offset where to start.
     * @return bytes written.
     */
    public int encode(final MutableEvent event, final MutableDirectBuffer buffer, final int offset)
    {
        if (!EventKind.isValid(event.kind()) || !Country.isValid(event.country()))
        {
            throw new IllegalArgumentException("not encodable: kind=" + event.kind() + " country=" + event.country());
        }
        int p = offset;
        p = put(buffer, p, EVENT_ID);
        p = hex(buffer, p, event.eventIdHi() >>> 32, 8);
        buffer.putByte(p++, (byte)'-');
        p = hex(buffer, p, event.eventIdHi() >>> 16, 4);
        buffer.putByte(p++, (byte)'-');
        p = hex(buffer, p, event.eventIdHi(), 4);
        buffer.putByte(p++, (byte)'-');
        p = hex(buffer, p, event.eventIdLo() >>> 48, 4);
        buffer.putByte(p++, (byte)'-');
        p = hex(buffer, p, event.eventIdLo(), 12);
        p = put(buffer, p, ACCOUNT_ID);
        p = unsigned(buffer, p, event.accountId());
        p = put(buffer, p, COUNTRY);
        buffer.putByte(p++, (byte)Country.first(event.country()));
        buffer.putByte(p++, (byte)Country.second(event.country()));
        p = put(buffer, p, EVENT_TIME);
        p += buffer.putLongAscii(p, event.eventTime());
        p = put(buffer, p, AMOUNT);
        p += buffer.putLongAscii(p, event.amount());
        p = put(buffer, p, KIND);
        p = put(buffer, p, KIND_NAMES[event.kind()]);
        p = put(buffer, p, END);
        return p - offset;
    }

    private static int put(final MutableDirectBuffer buffer, final int index, final byte[] bytes)
    {
        buffer.putBytes(index, bytes);
        return index + bytes.length;
    }

    private static int hex(final MutableDirectBuffer buffer, final int index, final long value, final int digits)
    {
        for (int i = 0; i < digits; i++)
        {
            final int shift = 4 * (digits - 1 - i);
            buffer.putByte(index + i, DIGITS[(int)((value >>> shift) & 0xF)]);
        }
        return index + digits;
    }

    private static int unsigned(final MutableDirectBuffer buffer, final int index, final long value)
    {
        if (value >= 0)
        {
            return index + buffer.putLongAscii(index, value);
        }
        final long quotient = Long.divideUnsigned(value, 10);
        final int p = index + buffer.putLongAscii(index, quotient);
        buffer.putByte(p, (byte)('0' + Long.remainderUnsigned(value, 10)));
        return p + 1;
    }

    private static byte[] ascii(final String s)
    {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
