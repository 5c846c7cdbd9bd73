package dev.tally.codec;

import org.agrona.DirectBuffer;

/**
 * Decodes a record value in either form, so one topic may carry both: a value whose first byte is format
 * version 1 is binary ({@link EventDecoder}); one starting with {@code '{'} or JSON whitespace is JSON
 * ({@link JsonEventDecoder}); anything else is malformed. Allocation-free; one instance per thread.
 */
public final class ValueDecoder
{
    /** Form of the last value decoded: binary. */
    public static final int FORM_BINARY = 0;

    /** Form of the last value decoded: JSON. */
    public static final int FORM_JSON = 1;

    private final EventDecoder binary = new EventDecoder();
    private final JsonEventDecoder json = new JsonEventDecoder();
    private int form;

    /**
     * Decode one record value.
     *
     * @param buffer holding the value.
     * @param offset where the value starts.
     * @param length value length; zero (or a null value mapped to zero) is malformed.
     * @param out    receives the fields when the result is OK.
     * @return {@link DecodeResult#OK} or the reason the value is malformed.
     */
    public int decode(final DirectBuffer buffer, final int offset, final int length, final MutableEvent out)
    {
        if (length <= 0)
        {
            form = FORM_BINARY;
            return DecodeResult.SHORT_BUFFER;
        }
        final int first = buffer.getByte(offset);
        if (first == '{' || first == ' ' || first == '\t' || first == '\n' || first == '\r')
        {
            form = FORM_JSON;
            return json.decode(buffer, offset, length, out);
        }
        form = FORM_BINARY;
        return binary.decode(buffer, offset, length, out);
    }

    /** @return {@link #FORM_BINARY} or {@link #FORM_JSON}: how the last value was read. */
    public int form()
    {
        return form;
    }

    /** @return the binary flyweight, positioned on the last binary value decoded (e.g. to read its payload). */
    public EventDecoder binary()
    {
        return binary;
    }
}
