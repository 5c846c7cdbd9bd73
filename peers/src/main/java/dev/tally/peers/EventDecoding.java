package dev.tally.peers;

import org.agrona.concurrent.UnsafeBuffer;

import dev.tally.codec.DecodeResult;
import dev.tally.codec.MutableEvent;
import dev.tally.codec.ValueDecoder;

/**
 * Decodes record values the way tally does ({@link ValueDecoder}: binary or JSON form), into one reused
 * {@link MutableEvent}, and counts what does not decode. Not thread-safe: one instance per thread.
 */
public final class EventDecoding
{
    private final ValueDecoder decoder = new ValueDecoder();
    private final UnsafeBuffer buffer = new UnsafeBuffer(new byte[0]);
    private final MutableEvent event = new MutableEvent();
    private long malformed;

    /**
     * @param value a record value; null counts as malformed (an empty value, as in tally).
     * @return true if it decoded, and {@link #event()} holds its fields; false if it is malformed (counted).
     */
    public boolean decode(final byte[] value)
    {
        final int result;
        if (value == null || value.length == 0)
        {
            result = DecodeResult.SHORT_BUFFER;
        }
        else
        {
            buffer.wrap(value);
            result = decoder.decode(buffer, 0, value.length, event);
        }
        if (result != DecodeResult.OK)
        {
            malformed++;
            return false;
        }
        return true;
    }

    /** @return the fields of the last value that decoded. */
    public MutableEvent event()
    {
        return event;
    }

    /** @return values that did not decode so far. */
    public long malformed()
    {
        return malformed;
    }
}
