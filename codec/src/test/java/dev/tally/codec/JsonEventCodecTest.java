package dev.tally.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.UUID;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

class JsonEventCodecTest
{
    private static final String VALID = "{\"event_id\":\"0f8fad5b-d9cb-469f-a165-70867728950e\",\"account_id\":42," +
        "\"country\":\"DE\",\"event_time\":1700000000000,\"amount\":-1250,\"kind\":\"refund\"}";

    private final JsonEventDecoder decoder = new JsonEventDecoder();
    private final JsonEventEncoder encoder = new JsonEventEncoder();
    private final MutableEvent out = new MutableEvent();

    @Test
    void decodesTheDocumentedExample()
    {
        assertThat(decode(VALID)).isEqualTo(DecodeResult.OK);
        final UUID id = UUID.fromString("0f8fad5b-d9cb-469f-a165-70867728950e");
        assertThat(out.eventIdHi()).isEqualTo(id.getMostSignificantBits());
        assertThat(out.eventIdLo()).isEqualTo(id.getLeastSignificantBits());
        assertThat(out.accountId()).isEqualTo(42L);
        assertThat(out.country()).isEqualTo(Country.of("DE"));
        assertThat(out.eventTime()).isEqualTo(1_700_000_000_000L);
        assertThat(out.amount()).isEqualTo(-1250L);
        assertThat(out.kind()).isEqualTo(EventKind.REFUND);
        assertThat(out.payloadLength()).isZero();
    }

    @Test
    void acceptsAnyOrderWhitespaceUnknownFieldsAndNumericKinds()
    {
        final String text = " \n{ \"kind\" : 2 , \"extra\": {\"a\": [1, 2.5e-3, true, null, \"x\\\"y\\u00e9\", {}]}," +
            " \"amount\":0,\"country\" :\"US\",\"event_time\": -5, \"account_id\": 18446744073709551615," +
            " \"event_id\": \"0F8FAD5B-D9CB-469F-A165-70867728950E\", \"other\": false }\r\n";
        assertThat(decode(text)).isEqualTo(DecodeResult.OK);
        assertThat(out.kind()).isEqualTo(EventKind.VIEW);
        assertThat(out.accountId()).isEqualTo(-1L);
        assertThat(out.eventTime()).isEqualTo(-5L);
        assertThat(out.eventIdHi()).isEqualTo(0x0f8fad5bd9cb469fL);
        assertThat(out.eventIdLo()).isEqualTo(0xa16570867728950eL);
        assertThat(decode(VALID.replace("\"amount\":-1250", "\"amount\":-9223372036854775808")))
            .isEqualTo(DecodeResult.OK);
        assertThat(out.amount()).isEqualTo(Long.MIN_VALUE);
    }

    @Test
    void reportsMalformedJson()
    {
        assertThat(decode("")).isEqualTo(DecodeResult.SHORT_BUFFER);
        assertThat(decode("   ")).isEqualTo(DecodeResult.SHORT_BUFFER);
        assertThat(decode("{}")).isEqualTo(DecodeResult.JSON_MISSING_FIELD);
        assertThat(decode(VALID.replace(",\"kind\":\"refund\"", ""))).isEqualTo(DecodeResult.JSON_MISSING_FIELD);
        assertThat(decode(VALID.replace("}", ",\"amount\":1}"))).isEqualTo(DecodeResult.JSON_DUPLICATE_FIELD);
        assertThat(decode(VALID + "x")).isEqualTo(DecodeResult.TRAILING_BYTES);
        assertThat(decode(VALID + "{}")).isEqualTo(DecodeResult.TRAILING_BYTES);
        assertThat(decode(VALID.replace("\"DE\"", "\"de\""))).isEqualTo(DecodeResult.BAD_COUNTRY);
        assertThat(decode(VALID.replace("\"DE\"", "\"DEU\""))).isEqualTo(DecodeResult.BAD_COUNTRY);
        assertThat(decode(VALID.replace("\"refund\"", "\"sale\""))).isEqualTo(DecodeResult.UNKNOWN_KIND);
        assertThat(decode(VALID.replace("\"refund\"", "4"))).isEqualTo(DecodeResult.UNKNOWN_KIND);
        assertThat(decode(VALID.replace("-1250", "-12.50"))).isEqualTo(DecodeResult.JSON_BAD_VALUE);
        assertThat(decode(VALID.replace("-1250", "1e3"))).isEqualTo(DecodeResult.JSON_BAD_VALUE);
        assertThat(decode(VALID.replace("-1250", "\"-1250\""))).isEqualTo(DecodeResult.JSON_SYNTAX);
        assertThat(decode(VALID.replace("-1250", "9223372036854775808"))).isEqualTo(DecodeResult.JSON_BAD_VALUE);
        assertThat(decode(VALID.replace(":42", ":-42"))).isEqualTo(DecodeResult.JSON_BAD_VALUE);
        assertThat(decode(VALID.replace(":42", ":18446744073709551616"))).isEqualTo(DecodeResult.JSON_BAD_VALUE);
        assertThat(decode(VALID.replace(":42", ":042"))).isEqualTo(DecodeResult.JSON_SYNTAX);
        assertThat(decode(VALID.replace("-d9cb", "xd9cb"))).isEqualTo(DecodeResult.JSON_BAD_VALUE);
        assertThat(decode(VALID.replace("-d9cb", "-g9cb"))).isEqualTo(DecodeResult.JSON_BAD_VALUE);
        assertThat(decode(VALID.replace("\"DE\"", "\"D\\u0045\""))).isEqualTo(DecodeResult.JSON_BAD_VALUE);
        assertThat(decode(VALID.replace("{", "{\"x\":" + "[".repeat(100) + "]".repeat(100) + ",")))
            .isEqualTo(DecodeResult.JSON_TOO_DEEP);
        assertThat(decode(VALID.replace("{", "{\"x\":[1,],"))).isEqualTo(DecodeResult.JSON_SYNTAX);
        assertThat(decode(VALID.replace("{", "{\"x\":\"a\u0001b\","))).isEqualTo(DecodeResult.JSON_SYNTAX);
        assertThat(decode("[1]")).isEqualTo(DecodeResult.JSON_SYNTAX);
    }

    @Test
    void roundTripsRandomEventsAndMatchesUuidText()
    {
        final RandomEvents random = new RandomEvents(17);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[JsonEventEncoder.MAX_LENGTH + 8]);
        final MutableEvent event = new MutableEvent();
        for (int i = 0; i < 100_000; i++)
        {
            random.next(event, 0);
            final int offset = random.nextInt(8);
            final int length = encoder.encode(event, buffer, offset);
            assertThat(length).isLessThanOrEqualTo(JsonEventEncoder.MAX_LENGTH);
            out.clear();
            assertThat(decoder.decode(buffer, offset, length, out)).isEqualTo(DecodeResult.OK);
            assertThat(out).isEqualTo(event);
            if (i < 1000)
            {
                final String text = buffer.getStringWithoutLengthAscii(offset, length);
                assertThat(text).contains(new UUID(event.eventIdHi(), event.eventIdLo()).toString())
                    .contains("\"account_id\":" + Long.toUnsignedString(event.accountId()) + ",");
            }
        }
    }

    @Test
    void everyTruncationIsMalformedAndNoCorruptionThrows()
    {
        final RandomEvents random = new RandomEvents(19);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[JsonEventEncoder.MAX_LENGTH]);
        final MutableEvent event = new MutableEvent();
        final byte[] alphabet = "{}[]\":,-.0123456789eE tfnuxAZaz\\".getBytes(StandardCharsets.US_ASCII);
        int malformed = 0;
        int checked = 0;
        for (int r = 0; r < 200; r++)
        {
            random.next(event, 0);
            final int length = encoder.encode(event, buffer, 0);
            for (int cut = 0; cut < length; cut++)
            {
                assertThat(decoder.decode(buffer, 0, cut, out)).isNotEqualTo(DecodeResult.OK);
            }
            for (int position = 0; position < length; position++)
            {
                final byte original = buffer.getByte(position);
                final byte replacement = random.nextInt(4) == 0 ?
                    (byte)random.nextInt(256) : alphabet[random.nextInt(alphabet.length)];
                if (replacement == original)
                {
                    continue;
                }
                buffer.putByte(position, replacement);
                final int result = decoder.decode(buffer, 0, length, out);
                checked++;
                if (result == DecodeResult.OK)
                {
                    assertThat(EventKind.isValid(out.kind())).isTrue();
                    assertThat(Country.isValid(out.country())).isTrue();
                    final boolean structural = original == '{' || original == '}' || original == ':' ||
                        original == ',' || original == '"';
                    assertThat(structural).as("corrupted structural byte at %d decoded OK", position).isFalse();
                }
                else
                {
                    malformed++;
                }
                buffer.putByte(position, original);
            }
        }
        assertThat(malformed).isGreaterThan(checked / 2);
    }

    private int decode(final String text)
    {
        final byte[] bytes = text.getBytes(StandardCharsets.UTF_8);
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[bytes.length + 4]);
        buffer.putBytes(2, bytes);
        out.clear();
        return decoder.decode(buffer, 2, bytes.length, out);
    }
}
