package dev.tally.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.management.ManagementFactory;
import java.nio.charset.StandardCharsets;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class ValueDecoderTest
{
    private final ValueDecoder decoder = new ValueDecoder();
    private final MutableEvent event = new MutableEvent()
        .eventId(1, 2).accountId(3).eventTime(4).amount(5).kind(EventKind.PURCHASE).country(Country.of("FR"))
        .payloadLength(100);

    @Test
    void readsBothFormsFromTheSameTopic()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        final MutableEvent out = new MutableEvent();
        final int binaryLength = new EventEncoder().wrap(buffer, 0).header(event).encodedLength();
        assertThat(decoder.decode(buffer, 0, binaryLength, out)).isEqualTo(DecodeResult.OK);
        assertThat(decoder.form()).isEqualTo(ValueDecoder.FORM_BINARY);
        assertThat(out).isEqualTo(event);

        final int jsonLength = new JsonEventEncoder().encode(event, buffer, 200);
        assertThat(decoder.decode(buffer, 200, jsonLength, out)).isEqualTo(DecodeResult.OK);
        assertThat(decoder.form()).isEqualTo(ValueDecoder.FORM_JSON);
        assertThat(out.sameEvent(event)).isTrue();
        assertThat(out.payloadLength()).isZero();

        buffer.putByte(0, (byte)2);
        assertThat(decoder.decode(buffer, 0, binaryLength, out)).isEqualTo(DecodeResult.UNKNOWN_VERSION);
        assertThat(decoder.decode(buffer, 0, 0, out)).isEqualTo(DecodeResult.SHORT_BUFFER);
        final byte[] text = "hello".getBytes(StandardCharsets.US_ASCII);
        assertThat(decoder.decode(new UnsafeBuffer(text), 0, text.length, out)).isEqualTo(DecodeResult.UNKNOWN_VERSION);
    }

    @Test
    void decodingAllocatesNothing()
    {
        final com.sun.management.ThreadMXBean threads =
            (com.sun.management.ThreadMXBean)ManagementFactory.getThreadMXBean();
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        final int binaryLength = new EventEncoder().wrap(buffer, 0).header(event).encodedLength();
        final int jsonLength = new JsonEventEncoder().encode(event, buffer, 256);
        final MutableEvent out = new MutableEvent();
        long checksum = run(buffer, binaryLength, jsonLength, out, 200_000);

        final long before = threads.getCurrentThreadAllocatedBytes();
        checksum += run(buffer, binaryLength, jsonLength, out, 1_000_000);
        final long allocated = threads.getCurrentThreadAllocatedBytes() - before;

        assertThat(checksum).isEqualTo(1_200_000L * 2 * 3);
        assertThat(allocated).as("bytes allocated by 2M decodes").isLessThan(8 * 1024);
    }

    private long run(final UnsafeBuffer buffer, final int binaryLength, final int jsonLength, final MutableEvent out,
        final int iterations)
    {
        long sum = 0;
        for (int i = 0; i < iterations; i++)
        {
            if (decoder.decode(buffer, 0, binaryLength, out) == DecodeResult.OK)
            {
                sum += out.accountId();
            }
            if (decoder.decode(buffer, 256, jsonLength, out) == DecodeResult.OK)
            {
                sum += out.accountId();
            }
        }
        return sum;
    }
}
