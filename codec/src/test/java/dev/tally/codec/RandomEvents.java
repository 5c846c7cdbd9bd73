package dev.tally.codec;

import java.util.SplittableRandom;

/**
 * Random events for property tests, including edge values of every field.
 */
final class RandomEvents
{
    private static final long[] EDGES = { 0L, 1L, -1L, Long.MIN_VALUE, Long.MAX_VALUE, 255L, 65536L };

    private final SplittableRandom random;

    RandomEvents(final long seed)
    {
        this.random = new SplittableRandom(seed);
    }

    long anyLong()
    {
        return random.nextInt(8) == 0 ? EDGES[random.nextInt(EDGES.length)] : random.nextLong();
    }

    MutableEvent next(final MutableEvent out, final int maxPayload)
    {
        return out.eventId(anyLong(), anyLong())
            .accountId(anyLong())
            .eventTime(anyLong())
            .amount(anyLong())
            .kind(random.nextInt(EventKind.COUNT))
            .country(Country.pack('A' + random.nextInt(26), 'A' + random.nextInt(26)))
            .payloadLength(maxPayload == 0 ? 0 : random.nextInt(maxPayload + 1));
    }

    int nextInt(final int bound)
    {
        return random.nextInt(bound);
    }

    void nextBytes(final byte[] bytes)
    {
        random.nextBytes(bytes);
    }
}
