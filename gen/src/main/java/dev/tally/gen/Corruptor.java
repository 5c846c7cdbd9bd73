package dev.tally.gen;

import org.agrona.MutableDirectBuffer;

import dev.tally.codec.JsonEventEncoder;
import dev.tally.codec.MutableEvent;
import dev.tally.codec.WireFormat;

/**
 * Turns a valid encoded event into a malformed record value of one of seven kinds, each of which the codec must
 * report as malformed: truncated fixed part, unknown version, unknown kind, bad country, reserved not zero,
 * payload_len past the end, and truncated JSON.
 */
final class Corruptor
{
    /** Number of corruption kinds. */
    static final int KINDS = 7;

    private final JsonEventEncoder json = new JsonEventEncoder();

    /**
     * Corrupt in place a binary value already written at {@code offset} (or write broken JSON instead).
     *
     * @param random        positioned stream for this index.
     * @param event         the event the value encodes.
     * @param buffer        the buffer holding the valid binary value.
     * @param offset        where the value starts.
     * @param length        length of the valid value.
     * @return length of the malformed value.
     */
    int corrupt(final RandomStream random, final MutableEvent event, final MutableDirectBuffer buffer,
        final int offset, final int length)
    {
        final int kind = random.nextInt(KINDS);
        switch (kind)
        {
            case 1:
                buffer.putByte(offset + WireFormat.VERSION_OFFSET, (byte)(2 + random.nextInt(5)));
                return length;
            case 2:
                buffer.putByte(offset + WireFormat.KIND_OFFSET, (byte)(4 + random.nextInt(252)));
                return length;
            case 3:
                buffer.putByte(offset + WireFormat.COUNTRY_OFFSET + random.nextInt(2), (byte)('a' + random.nextInt(26)));
                return length;
            case 4:
                buffer.putByte(offset + WireFormat.RESERVED_OFFSET + random.nextInt(2), (byte)(1 + random.nextInt(255)));
                return length;
            case 5:
                if (event.payloadLength() > 0)
                {
                    return length - 1 - random.nextInt(Math.min(event.payloadLength(), 16));
                }
                return random.nextInt(WireFormat.HEADER_LENGTH);
            case 6:
                final int jsonLength = json.encode(event, buffer, offset);
                return 1 + random.nextInt(jsonLength - 1);
            default:
                return random.nextInt(WireFormat.HEADER_LENGTH);
        }
    }
}
