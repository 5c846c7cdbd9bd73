package dev.tally.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class EventCodecTest
{
    private final EventEncoder encoder = new EventEncoder();
    private final EventDecoder decoder = new EventDecoder();

    @Test
    void layoutMatchesTheDocumentedContract()
    {
        final MutableEvent event = new MutableEvent()
            .eventId(0x0102030405060708L, 0x1112131415161718L)
            .accountId(42L)
            .eventTime(1_700_000_000_123L)
            .amount(-1250L)
            .kind(EventKind.REFUND)
            .country(Country.of("DE"))
            .payloadLength(3);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[64]);
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[] { 'a', 'b', 'c' });
        final int length = encoder.wrap(buffer, 5).encode(event, payload, 0);

        assertThat(length).isEqualTo(51);
        final ByteBuffer expected = ByteBuffer.allocate(51).order(ByteOrder.LITTLE_ENDIAN);
        expected.put((byte)1).put((byte)1).put((byte)'D').put((byte)'E').putShort((short)3).putShort((short)0);
        expected.putLong(0x0102030405060708L).putLong(0x1112131415161718L).putLong(42L);
        expected.putLong(1_700_000_000_123L).putLong(-1250L).put(new byte[] { 'a', 'b', 'c' });
        final byte[] actual = new byte[51];
        buffer.getBytes(5, actual);
        assertThat(actual).isEqualTo(expected.array());

        final MutableEvent decoded = new MutableEvent();
        assertThat(decoder.decode(buffer, 5, 51, decoded)).isEqualTo(DecodeResult.OK);
        assertThat(decoded).isEqualTo(event);
        assertThat(decoder.payloadOffset()).isEqualTo(5 + 48);
    }

    @Test
    void roundTripsRandomEvents()
    {
        final RandomEvents random = new RandomEvents(7);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[WireFormat.MAX_VALUE_LENGTH + 16]);
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[WireFormat.MAX_PAYLOAD_LENGTH]);
        final MutableEvent event = new MutableEvent();
        final MutableEvent decoded = new MutableEvent();
        for (int i = 0; i < 100_000; i++)
        {
            random.next(event, i % 100 == 0 ? WireFormat.MAX_PAYLOAD_LENGTH : 400);
            final int offset = random.nextInt(16);
            payload.putLong(0, i);
            final int length = encoder.wrap(buffer, offset).encode(event, payload, 0);
            assertThat(length).isEqualTo(WireFormat.valueLength(event.payloadLength()));
            decoded.clear();
            assertThat(decoder.decode(buffer, offset, length, decoded)).isEqualTo(DecodeResult.OK);
            assertThat(decoded).isEqualTo(event);
            assertThat(buffer.getByte(decoder.payloadOffset()))
                .isEqualTo(event.payloadLength() > 0 ? payload.getByte(0) : buffer.getByte(offset + 48));
        }
    }

    @Test
    void everyTruncationIsMalformed()
    {
        final RandomEvents random = new RandomEvents(11);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[400]);
        final MutableEvent event = new MutableEvent();
        final MutableEvent untouched = new MutableEvent();
        for (int r = 0; r < 200; r++)
        {
            random.next(event, 300);
            final int length = encoder.wrap(buffer, 0).encode(event, payload, 0);
            for (int cut = 0; cut < length; cut++)
            {
                final MutableEvent out = new MutableEvent();
                assertThat(decoder.decode(buffer, 0, cut, out)).isNotEqualTo(DecodeResult.OK);
                assertThat(out).isEqualTo(untouched);
            }
            assertThat(decoder.decode(buffer, 0, length + 1, untouched)).isEqualTo(DecodeResult.TRAILING_BYTES);
        }
    }

    @Test
    void everySingleByteCorruptionIsMalformedOrDecodesExactlyTheBytes()
    {
        final RandomEvents random = new RandomEvents(13);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[512]);
        final UnsafeBuffer payload = new UnsafeBuffer(new byte[400]);
        final MutableEvent event = new MutableEvent();
        final MutableEvent out = new MutableEvent();
        int malformed = 0;
        for (int r = 0; r < 100; r++)
        {
            random.next(event, 200);
            final int length = encoder.wrap(buffer, 0).encode(event, payload, 0);
            for (int position = 0; position < WireFormat.HEADER_LENGTH; position++)
            {
                final byte original = buffer.getByte(position);
                for (int delta = 1; delta < 256; delta += 1 + random.nextInt(7))
                {
                    buffer.putByte(position, (byte)(original + delta));
                    final int result = decoder.decode(buffer, 0, length, out.payloadLength(-1));
                    final ByteBuffer raw = ByteBuffer.wrap(buffer.byteArray(), 0, length).order(ByteOrder.LITTLE_ENDIAN);
                    if (result == DecodeResult.OK)
                    {
                        assertThat(position).isIn(1, 2, 3, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20, 21, 22,
                            23, 24, 25, 26, 27, 28, 29, 30, 31, 32, 33, 34, 35, 36, 37, 38, 39, 40, 41, 42, 43, 44, 45, 46, 47);
                        assertThat(out.eventIdHi()).isEqualTo(raw.getLong(8));
                        assertThat(out.eventIdLo()).isEqualTo(raw.getLong(16));
                        assertThat(out.accountId()).isEqualTo(raw.getLong(24));
                        assertThat(out.eventTime()).isEqualTo(raw.getLong(32));
                        assertThat(out.amount()).isEqualTo(raw.getLong(40));
                        assertThat(out.kind()).isEqualTo(raw.get(1) & 0xFF).isBetween(0, 3);
                        assertThat(out.country()).isEqualTo(Country.pack(raw.get(2), raw.get(3)));
                        assertThat(Country.isValid(out.country())).isTrue();
                        assertThat(out.payloadLength()).isEqualTo(event.payloadLength());
                    }
                    else
                    {
                        assertThat(position).isLessThan(WireFormat.EVENT_ID_HI_OFFSET);
                        malformed++;
                    }
                }
                buffer.putByte(position, original);
            }
        }
        assertThat(malformed).isGreaterThan(1000);
    }

    @Test
    void reportsEachKindOfMalformation()
    {
        final MutableEvent event = new MutableEvent().kind(EventKind.VIEW).country(Country.of("US")).payloadLength(10);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
        final int length = encoder.wrap(buffer, 0).header(event).encodedLength();
        assertThat(decoder.wrap(buffer, 0, length)).isEqualTo(DecodeResult.OK);
        assertThat(decoder.wrap(buffer, 0, 0)).isEqualTo(DecodeResult.SHORT_BUFFER);
        assertThat(decoder.wrap(buffer, 0, 47)).isEqualTo(DecodeResult.SHORT_BUFFER);
        assertThat(decoder.wrap(buffer, 0, length - 1)).isEqualTo(DecodeResult.PAYLOAD_PAST_END);
        assertThat(decoder.wrap(buffer, 0, length + 1)).isEqualTo(DecodeResult.TRAILING_BYTES);
        assertMalformedWith(buffer, length, WireFormat.VERSION_OFFSET, 2, DecodeResult.UNKNOWN_VERSION);
        assertMalformedWith(buffer, length, WireFormat.KIND_OFFSET, 4, DecodeResult.UNKNOWN_KIND);
        assertMalformedWith(buffer, length, WireFormat.COUNTRY_OFFSET, 'u', DecodeResult.BAD_COUNTRY);
        assertMalformedWith(buffer, length, WireFormat.COUNTRY_OFFSET + 1, '@', DecodeResult.BAD_COUNTRY);
        assertMalformedWith(buffer, length, WireFormat.RESERVED_OFFSET + 1, 1, DecodeResult.RESERVED_NOT_ZERO);
        assertMalformedWith(buffer, length, WireFormat.PAYLOAD_LENGTH_OFFSET + 1, 1, DecodeResult.PAYLOAD_PAST_END);
    }

    @Test
    void encoderRejectsWhatItCannotEncode()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[128]);
        assertThatThrownBy(() -> encoder.wrap(buffer, 0).header(new MutableEvent().kind(4).country(Country.of("US"))))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> encoder.wrap(buffer, 0).header(new MutableEvent().country(Country.pack('u', 's'))))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> encoder.wrap(buffer, 0)
            .header(new MutableEvent().country(Country.of("US")).payloadLength(65536)))
            .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> Country.of("de")).isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void keyAndHeadersAreBigEndian()
    {
        final byte[] key = new byte[RecordFraming.KEY_LENGTH];
        RecordFraming.putLongBigEndian(key, 0, 0x0102030405060708L);
        assertThat(key).containsExactly(1, 2, 3, 4, 5, 6, 7, 8);
        assertThat(RecordFraming.getLongBigEndian(key, 0)).isEqualTo(0x0102030405060708L);
        assertThat(RecordFraming.accountId(new UnsafeBuffer(key), 0)).isEqualTo(0x0102030405060708L);
        assertThat(RecordFraming.isValidKey(key)).isTrue();
        assertThat(RecordFraming.isValidKey(new byte[7])).isFalse();
    }

    private void assertMalformedWith(
        final UnsafeBuffer buffer, final int length, final int position, final int value, final int expected)
    {
        final byte original = buffer.getByte(position);
        buffer.putByte(position, (byte)value);
        assertThat(DecodeResult.name(decoder.wrap(buffer, 0, length))).isEqualTo(DecodeResult.name(expected));
        buffer.putByte(position, original);
    }
}
