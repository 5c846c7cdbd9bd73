package dev.tally.codec;

import java.nio.charset.StandardCharsets;

import org.agrona.DirectBuffer;

/**
 * Decodes an event in its JSON form, one object per record value:
 * <pre>{@code
 * {"event_id":"0f8fad5b-d9cb-469f-a165-70867728950e","account_id":42,"country":"DE",
 *  "event_time":1700000000000,"amount":-1250,"kind":"refund"}
 * }</pre>
 * Fields may come in any order and unknown fields are skipped (any JSON value). All six fields are required and
 * may appear once: {@code event_id} a canonical 36-character UUID string, {@code account_id} an integer
 * 0..2^64-1, {@code country} two upper-case letters, {@code event_time} an integer (epoch ms), {@code amount} an
 * integer (minor units), {@code kind} a name ({@code purchase, refund, view, other}) or its number 0..3.
 * Strings of the known fields must not use escapes. Numbers, the country and the UUID are parsed straight from
 * the bytes: decoding allocates nothing.
 */
public final class JsonEventDecoder
{
    private static final int F_EVENT_ID = 1;
    private static final int F_ACCOUNT_ID = 2;
    private static final int F_COUNTRY = 4;
    private static final int F_EVENT_TIME = 8;
    private static final int F_AMOUNT = 16;
    private static final int F_KIND = 32;
    private static final int F_ALL = 63;

    private static final byte[] EVENT_ID = ascii("event_id");
    private static final byte[] ACCOUNT_ID = ascii("account_id");
    private static final byte[] COUNTRY = ascii("country");
    private static final byte[] EVENT_TIME = ascii("event_time");
    private static final byte[] AMOUNT = ascii("amount");
    private static final byte[] KIND = ascii("kind");
    private static final byte[][] KIND_NAMES =
    {
        ascii(EventKind.name(0)), ascii(EventKind.name(1)), ascii(EventKind.name(2)), ascii(EventKind.name(3))
    };

    private final JsonScanner scanner = new JsonScanner();

    /**
     * Decode one JSON object.
     *
     * @param buffer holding the JSON text (UTF-8).
     * @param offset where the text starts.
     * @param length length of the text (the whole record value).
     * @param out    receives the fields; its contents are unspecified unless the result is OK.
     * @return {@link DecodeResult#OK} or the reason the value is malformed.
     */
    public int decode(final DirectBuffer buffer, final int offset, final int length, final MutableEvent out)
    {
        final JsonScanner s = scanner;
        s.reset(buffer, offset, length);
        if (s.peek() == -1)
        {
            return DecodeResult.SHORT_BUFFER;
        }
        int seen = 0;
        if (s.expect('{') && s.peek() == '}')
        {
            s.expect('}');
        }
        else
        {
            while (s.error() == DecodeResult.OK)
            {
                final int keyStart = s.string(true);
                final int keyLimit = s.pos() - 1;
                if (keyStart < 0 || !s.expect(':'))
                {
                    s.fail(DecodeResult.JSON_SYNTAX);
                    break;
                }
                final int field = field(s, keyStart, keyLimit);
                if ((seen & field) != 0)
                {
                    s.fail(DecodeResult.JSON_DUPLICATE_FIELD);
                    break;
                }
                seen |= field;
                if (!value(s, field, out))
                {
                    break;
                }
                final int c = s.peek();
                if (c == '}')
                {
                    s.expect('}');
                    break;
                }
                if (!s.expect(','))
                {
                    break;
                }
            }
        }
        if (s.error() != DecodeResult.OK)
        {
            return s.error();
        }
        if (s.peek() != -1)
        {
            return DecodeResult.TRAILING_BYTES;
        }
        if (seen != F_ALL)
        {
            return DecodeResult.JSON_MISSING_FIELD;
        }
        out.payloadLength(0);
        return DecodeResult.OK;
    }

    private static int field(final JsonScanner s, final int start, final int limit)
    {
        if (s.matches(start, limit, EVENT_ID))
        {
            return F_EVENT_ID;
        }
        if (s.matches(start, limit, ACCOUNT_ID))
        {
            return F_ACCOUNT_ID;
        }
        if (s.matches(start, limit, COUNTRY))
        {
            return F_COUNTRY;
        }
        if (s.matches(start, limit, EVENT_TIME))
        {
            return F_EVENT_TIME;
        }
        if (s.matches(start, limit, AMOUNT))
        {
            return F_AMOUNT;
        }
        if (s.matches(start, limit, KIND))
        {
            return F_KIND;
        }
        return 0;
    }

    private static boolean value(final JsonScanner s, final int field, final MutableEvent out)
    {
        switch (field)
        {
            case F_EVENT_ID:
                return eventId(s, out);
            case F_ACCOUNT_ID:
                if (!s.unsignedInteger())
                {
                    return false;
                }
                out.accountId(s.value());
                return true;
            case F_COUNTRY:
                return country(s, out);
            case F_EVENT_TIME:
                if (!s.signedInteger())
                {
                    return false;
                }
                out.eventTime(s.value());
                return true;
            case F_AMOUNT:
                if (!s.signedInteger())
                {
                    return false;
                }
                out.amount(s.value());
                return true;
            case F_KIND:
                return kind(s, out);
            default:
                return s.skipValue(1);
        }
    }

    private static boolean eventId(final JsonScanner s, final MutableEvent out)
    {
        final int start = stringValue(s);
        if (start < 0)
        {
            return false;
        }
        if (s.pos() - 1 - start != 36 || s.byteAt(start + 8) != '-' || s.byteAt(start + 13) != '-' ||
            s.byteAt(start + 18) != '-' || s.byteAt(start + 23) != '-')
        {
            s.fail(DecodeResult.JSON_BAD_VALUE);
            return false;
        }
        final long hi = (s.hex(start, 8) << 32) | (s.hex(start + 9, 4) << 16) | s.hex(start + 14, 4);
        final long lo = (s.hex(start + 19, 4) << 48) | s.hex(start + 24, 12);
        out.eventId(hi, lo);
        return s.error() == DecodeResult.OK;
    }

    private static boolean country(final JsonScanner s, final MutableEvent out)
    {
        final int start = stringValue(s);
        if (start < 0)
        {
            return false;
        }
        if (s.pos() - 1 - start != 2 || !Country.isLetter(s.byteAt(start)) || !Country.isLetter(s.byteAt(start + 1)))
        {
            s.fail(DecodeResult.BAD_COUNTRY);
            return false;
        }
        out.country(Country.pack(s.byteAt(start), s.byteAt(start + 1)));
        return true;
    }

    private static boolean kind(final JsonScanner s, final MutableEvent out)
    {
        if (s.peek() != '"')
        {
            if (!s.signedInteger())
            {
                return false;
            }
            if (!EventKind.isValid((int)s.value()) || s.value() != (int)s.value())
            {
                s.fail(DecodeResult.UNKNOWN_KIND);
                return false;
            }
            out.kind((int)s.value());
            return true;
        }
        final int start = stringValue(s);
        if (start < 0)
        {
            return false;
        }
        for (int k = 0; k < EventKind.COUNT; k++)
        {
            if (s.matches(start, s.pos() - 1, KIND_NAMES[k]))
            {
                out.kind(k);
                return true;
            }
        }
        s.fail(DecodeResult.UNKNOWN_KIND);
        return false;
    }

    private static int stringValue(final JsonScanner s)
    {
        if (s.peek() != '"')
        {
            s.fail(DecodeResult.JSON_BAD_VALUE);
            return -1;
        }
        final int start = s.string(false);
        if (start == -2)
        {
            s.fail(DecodeResult.JSON_BAD_VALUE);
        }
        return start;
    }

    private static byte[] ascii(final String s)
    {
        return s.getBytes(StandardCharsets.US_ASCII);
    }
}
