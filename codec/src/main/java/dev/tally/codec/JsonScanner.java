package dev.tally.codec;

import org.agrona.DirectBuffer;

/**
 * A cursor over JSON text in a {@link DirectBuffer} that reads tokens straight from the bytes, without allocating.
 * Methods that fail return a negative position or set {@link #error()}; none throws on any input.
 * Invariant: {@code start <= pos <= end}; bytes are only read at indices below {@code end}.
 */
final class JsonScanner
{
    /** Deepest nesting accepted inside skipped values. */
    static final int MAX_DEPTH = 64;

    private static final long U64_DIV_10 = Long.divideUnsigned(-1L, 10);
    private static final long U64_MOD_10 = Long.remainderUnsigned(-1L, 10);
    private static final byte[] HEX = new byte[256];

    static
    {
        java.util.Arrays.fill(HEX, (byte)-1);
        for (int i = 0; i < 10; i++)
        {
            HEX['0' + i] = (byte)i;
        }
        for (int i = 0; i < 6; i++)
        {
            HEX['a' + i] = (byte)(10 + i);
            HEX['A' + i] = (byte)(10 + i);
        }
    }

    private DirectBuffer buffer;
    private int pos;
    private int end;
    private int error;
    private long value;

    void reset(final DirectBuffer buffer, final int offset, final int length)
    {
        this.buffer = buffer;
        this.pos = offset;
        this.end = offset + length;
        this.error = DecodeResult.OK;
    }

    int error()
    {
        return error;
    }

    /** @return the number parsed by the last successful number read. */
    long value()
    {
        return value;
    }

    int pos()
    {
        return pos;
    }

    boolean atEnd()
    {
        return pos >= end;
    }

    void fail(final int result)
    {
        if (error == DecodeResult.OK)
        {
            error = result;
        }
        pos = end;
    }

    /** @return the next byte after whitespace, without consuming it, or -1 at the end. */
    int peek()
    {
        while (pos < end)
        {
            final int b = buffer.getByte(pos);
            if (b != ' ' && b != '\t' && b != '\n' && b != '\r')
            {
                return b & 0xFF;
            }
            pos++;
        }
        return -1;
    }

    /** Consume the next non-whitespace byte if it is {@code expected}, else fail with a syntax error. */
    boolean expect(final int expected)
    {
        if (peek() == expected)
        {
            pos++;
            return true;
        }
        fail(DecodeResult.JSON_SYNTAX);
        return false;
    }

    /**
     * Scan a string whose opening quote is next (after whitespace).
     *
     * @return the index of the first content byte; the content ends at {@code pos() - 1}. Negative if the string
     * is malformed, or if it holds escapes and {@code allowEscapes} is false ({@code -2}).
     */
    int string(final boolean allowEscapes)
    {
        if (!expect('"'))
        {
            return -1;
        }
        final int start = pos;
        boolean escaped = false;
        while (pos < end)
        {
            final int b = buffer.getByte(pos++) & 0xFF;
            if (b == '"')
            {
                if (escaped && !allowEscapes)
                {
                    return -2;
                }
                return start;
            }
            if (b < 0x20)
            {
                break;
            }
            if (b == '\\')
            {
                escaped = true;
                if (!skipEscape())
                {
                    break;
                }
            }
        }
        fail(DecodeResult.JSON_SYNTAX);
        return -1;
    }

    private boolean skipEscape()
    {
        if (pos >= end)
        {
            return false;
        }
        final int b = buffer.getByte(pos++);
        switch (b)
        {
            case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
                return true;
            case 'u':
                for (int i = 0; i < 4; i++)
                {
                    if (pos >= end || HEX[buffer.getByte(pos++) & 0xFF] < 0)
                    {
                        return false;
                    }
                }
                return true;
            default:
                return false;
        }
    }

    /**
     * Read a signed integer (no fraction or exponent) into {@link #value()}.
     *
     * @return true if it is an integer in the long range; else fails with a bad-value or syntax error.
     */
    boolean signedInteger()
    {
        final int c = peek();
        final boolean negative = c == '-';
        if (negative)
        {
            pos++;
        }
        long acc = 0;
        final int first = pos;
        while (pos < end)
        {
            final int d = buffer.getByte(pos) - '0';
            if (d < 0 || d > 9)
            {
                break;
            }
            if (acc < (Long.MIN_VALUE + d) / 10)
            {
                fail(DecodeResult.JSON_BAD_VALUE);
                return false;
            }
            acc = acc * 10 - d;
            pos++;
        }
        if (!digitsEnded(first))
        {
            return false;
        }
        if (!negative && acc == Long.MIN_VALUE)
        {
            fail(DecodeResult.JSON_BAD_VALUE);
            return false;
        }
        value = negative ? acc : -acc;
        return true;
    }

    /**
     * Read a non-negative integer up to 2^64-1 into {@link #value()} as its unsigned bit pattern.
     *
     * @return true on success; else fails with a bad-value or syntax error.
     */
    boolean unsignedInteger()
    {
        if (peek() == '-')
        {
            fail(DecodeResult.JSON_BAD_VALUE);
            return false;
        }
        long acc = 0;
        final int first = pos;
        while (pos < end)
        {
            final int d = buffer.getByte(pos) - '0';
            if (d < 0 || d > 9)
            {
                break;
            }
            final int cmp = Long.compareUnsigned(acc, U64_DIV_10);
            if (cmp > 0 || (cmp == 0 && d > U64_MOD_10))
            {
                fail(DecodeResult.JSON_BAD_VALUE);
                return false;
            }
            acc = acc * 10 + d;
            pos++;
        }
        if (!digitsEnded(first))
        {
            return false;
        }
        value = acc;
        return true;
    }

    private boolean digitsEnded(final int first)
    {
        final int count = pos - first;
        if (count == 0 || (count > 1 && buffer.getByte(first) == '0'))
        {
            fail(DecodeResult.JSON_SYNTAX);
            return false;
        }
        if (pos < end)
        {
            final int b = buffer.getByte(pos);
            if (b == '.' || b == 'e' || b == 'E')
            {
                fail(DecodeResult.JSON_BAD_VALUE);
                return false;
            }
        }
        return true;
    }

    /**
     * Skip any JSON value, validating its syntax.
     *
     * @param depth nesting depth of the value.
     * @return true if a value was skipped; else fails.
     */
    boolean skipValue(final int depth)
    {
        if (depth > MAX_DEPTH)
        {
            fail(DecodeResult.JSON_TOO_DEEP);
            return false;
        }
        final int c = peek();
        switch (c)
        {
            case '"':
                return string(true) >= 0;
            case '{':
                return skipContainer(depth, '}', true);
            case '[':
                return skipContainer(depth, ']', false);
            case 't':
                return literal("true");
            case 'f':
                return literal("false");
            case 'n':
                return literal("null");
            default:
                return skipNumber();
        }
    }

    private boolean skipContainer(final int depth, final int close, final boolean object)
    {
        pos++;
        if (peek() == close)
        {
            pos++;
            return true;
        }
        while (true)
        {
            if (object && (string(true) < 0 || !expect(':')))
            {
                return false;
            }
            if (!skipValue(depth + 1))
            {
                return false;
            }
            final int c = peek();
            if (c == close)
            {
                pos++;
                return true;
            }
            if (c != ',')
            {
                fail(DecodeResult.JSON_SYNTAX);
                return false;
            }
            pos++;
        }
    }

    private boolean literal(final String word)
    {
        final int length = word.length();
        if (end - pos < length)
        {
            fail(DecodeResult.JSON_SYNTAX);
            return false;
        }
        for (int i = 0; i < length; i++)
        {
            if (buffer.getByte(pos + i) != word.charAt(i))
            {
                fail(DecodeResult.JSON_SYNTAX);
                return false;
            }
        }
        pos += length;
        return true;
    }

    private boolean skipNumber()
    {
        if (pos < end && buffer.getByte(pos) == '-')
        {
            pos++;
        }
        final int intStart = pos;
        final int intDigits = digits();
        if (intDigits == 0 || (intDigits > 1 && buffer.getByte(intStart) == '0'))
        {
            fail(DecodeResult.JSON_SYNTAX);
            return false;
        }
        if (pos < end && buffer.getByte(pos) == '.')
        {
            pos++;
            if (digits() == 0)
            {
                fail(DecodeResult.JSON_SYNTAX);
                return false;
            }
        }
        if (pos < end && (buffer.getByte(pos) == 'e' || buffer.getByte(pos) == 'E'))
        {
            pos++;
            if (pos < end && (buffer.getByte(pos) == '+' || buffer.getByte(pos) == '-'))
            {
                pos++;
            }
            if (digits() == 0)
            {
                fail(DecodeResult.JSON_SYNTAX);
                return false;
            }
        }
        return true;
    }

    private int digits()
    {
        final int start = pos;
        while (pos < end && buffer.getByte(pos) >= '0' && buffer.getByte(pos) <= '9')
        {
            pos++;
        }
        return pos - start;
    }

    /**
     * Do the bytes {@code [start, start + word.length)} equal the ASCII word?
     *
     * @param start first byte.
     * @param limit index after the last byte of the token.
     * @param word  ASCII word.
     * @return true on an exact match.
     */
    boolean matches(final int start, final int limit, final byte[] word)
    {
        if (limit - start != word.length)
        {
            return false;
        }
        for (int i = 0; i < word.length; i++)
        {
            if (buffer.getByte(start + i) != word[i])
            {
                return false;
            }
        }
        return true;
    }

    byte byteAt(final int index)
    {
        return buffer.getByte(index);
    }

    /**
     * Hex value of {@code count} hex digits starting at {@code start}, or fails with a bad value.
     *
     * @param start first digit.
     * @param count number of digits (at most 16).
     * @return the value; meaningful only if {@link #error()} is still OK.
     */
    long hex(final int start, final int count)
    {
        long acc = 0;
        for (int i = 0; i < count; i++)
        {
            final int d = HEX[buffer.getByte(start + i) & 0xFF];
            if (d < 0)
            {
                fail(DecodeResult.JSON_BAD_VALUE);
                return 0;
            }
            acc = (acc << 4) | d;
        }
        return acc;
    }
}
