package dev.tally.gen;

import java.nio.charset.StandardCharsets;

import org.agrona.DirectBuffer;
import org.agrona.concurrent.UnsafeBuffer;

import dev.tally.codec.WireFormat;

/**
 * A fixed block of attribute-like ASCII text ({@code key=value;} pairs) that payloads are cut from, so payloads
 * look and compress like real event attributes. Built once from a fixed seed; identical in every JVM.
 */
final class PayloadText
{
    /** Payloads start at a random offset below this. */
    static final int START_RANGE = 4096;

    private static final String[] KEYS =
    {
        "ua", "ref", "sid", "sku", "cart", "ab", "lang", "tz", "dev", "os", "cmp", "src", "page", "pos", "cur", "ip"
    };
    private static final String[] WORDS =
    {
        "mobile", "desktop", "tablet", "search", "email", "banner", "organic", "direct", "linux", "android", "ios",
        "home", "checkout", "basket", "detail", "list", "variant-a", "variant-b", "EUR", "USD", "GBP", "en-GB",
        "de-DE", "fr-FR", "ja-JP", "UTC+1", "UTC-5", "spring-sale", "loyalty", "retarget"
    };

    /** The block: long enough for any payload from any start offset. */
    static final DirectBuffer BLOCK = build(START_RANGE + WireFormat.MAX_PAYLOAD_LENGTH);

    private PayloadText()
    {
    }

    private static DirectBuffer build(final int length)
    {
        final StringBuilder text = new StringBuilder(length + 64);
        final RandomStream random = new RandomStream().at(0x7061796C6F6164L, 0);
        while (text.length() < length)
        {
            text.append(KEYS[random.nextInt(KEYS.length)]).append('=');
            if (random.nextInt(3) == 0)
            {
                text.append(Long.toHexString(random.nextLong()));
            }
            else
            {
                text.append(WORDS[random.nextInt(WORDS.length)]);
            }
            text.append(';');
        }
        final byte[] bytes = text.substring(0, length).getBytes(StandardCharsets.US_ASCII);
        return new UnsafeBuffer(bytes);
    }
}
