package dev.tally.peers;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;

import org.agrona.concurrent.UnsafeBuffer;
import org.junit.jupiter.api.Test;

import dev.tally.codec.Country;
import dev.tally.codec.EventEncoder;
import dev.tally.codec.EventKind;
import dev.tally.codec.JsonEventEncoder;
import dev.tally.codec.MutableEvent;

class EventDecodingTest
{
    private final MutableEvent event = new MutableEvent().eventId(1, 2).accountId(42).country(Country.of("DE"))
        .eventTime(1_767_261_600_000L).amount(-1250).kind(EventKind.REFUND).payloadLength(3);

    @Test
    void decodesBothFormsAndCountsWhatDoesNot()
    {
        final UnsafeBuffer buffer = new UnsafeBuffer(new byte[256]);
        final int binaryLength = new EventEncoder().wrap(buffer, 0).header(event).encodedLength();
        final byte[] binary = Arrays.copyOf(buffer.byteArray(), binaryLength);
        final byte[] json = Arrays.copyOf(buffer.byteArray(), new JsonEventEncoder().encode(event, buffer, 0));
        final EventDecoding decoding = new EventDecoding();

        assertThat(decoding.decode(binary)).isTrue();
        assertThat(decoding.event()).isEqualTo(event);
        assertThat(decoding.decode(json)).isTrue();
        assertThat(decoding.event().sameEvent(event)).isTrue();
        assertThat(decoding.decode(Arrays.copyOf(binary, 47))).isFalse();
        assertThat(decoding.decode(null)).isFalse();
        assertThat(decoding.decode(new byte[0])).isFalse();
        assertThat(decoding.decode("{\"account_id\":1}".getBytes())).isFalse();
        assertThat(decoding.malformed()).isEqualTo(4);
    }
}
