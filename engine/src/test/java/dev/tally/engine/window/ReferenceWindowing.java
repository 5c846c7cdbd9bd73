package dev.tally.engine.window;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The windowing semantics written as plainly as possible (boxed maps, BigInteger, whole history kept), to check the
 * real stage against. Nothing here is shared with the engine's code.
 */
final class ReferenceWindowing
{
    record Key(int kind, long windowStart, long accountId, int country, int partition)
    {
    }

    record Side(int partition, long offset, int reason, int kind)
    {
    }

    /** Aggregate of a row after folding the record at {@code offset}. */
    record Step(long offset, long count, BigInteger sum)
    {
    }

    final long delay;
    final long lateness;
    final long futureSkew;
    final int kindMask;
    final Map<Key, List<Step>> history = new HashMap<>();
    final List<Side> side = new ArrayList<>();
    private final Map<Integer, Long> maxTime = new HashMap<>();

    ReferenceWindowing(final long delay, final long lateness, final long futureSkew, final int kindMask)
    {
        this.delay = delay;
        this.lateness = lateness;
        this.futureSkew = futureSkew;
        this.kindMask = kindMask;
    }

    void malformed(final int partition, final long offset)
    {
        side.add(new Side(partition, offset, SideOutputSink.MALFORMED, SideOutputSink.NO_KIND));
    }

    void event(final int partition, final long offset, final long kafkaTs, final long account, final int country,
        final long time, final long amount)
    {
        if (kafkaTs >= 0 && time > kafkaTs + futureSkew)
        {
            side.add(new Side(partition, offset, SideOutputSink.FUTURE, SideOutputSink.NO_KIND));
            return;
        }
        final Long max = maxTime.get(partition);
        for (final int kind : new int[] {WindowKind.MINUTE, WindowKind.HOUR})
        {
            if ((kindMask & (1 << kind)) == 0)
            {
                continue;
            }
            final long size = kind == WindowKind.MINUTE ? 60_000 : 3_600_000;
            final long start = Math.floorDiv(time, size) * size;
            final boolean accepted = max == null || max - delay < start + size + lateness;
            if (accepted)
            {
                final List<Step> steps = history.computeIfAbsent(new Key(kind, start, account, country, partition),
                    k -> new ArrayList<>());
                final Step last = steps.isEmpty() ? new Step(-1, 0, BigInteger.ZERO) : steps.getLast();
                steps.add(new Step(offset, last.count() + 1, last.sum().add(BigInteger.valueOf(amount))));
            }
            else
            {
                side.add(new Side(partition, offset, SideOutputSink.LATE, kind));
            }
        }
        maxTime.put(partition, max == null ? time : Math.max(max, time));
    }

    /** The aggregate of {@code key} holding exactly the records at offsets <= {@code offset}, if one was folded there. */
    Step at(final Key key, final long offset)
    {
        for (final Step s : history.getOrDefault(key, List.of()))
        {
            if (s.offset() == offset)
            {
                return s;
            }
        }
        return null;
    }

    Step last(final Key key)
    {
        final List<Step> steps = history.get(key);
        return steps == null ? null : steps.getLast();
    }

    /** Rows still inside their lateness horizon for the partition's current watermark. */
    long openRows()
    {
        long n = 0;
        for (final Key k : history.keySet())
        {
            final Long max = maxTime.get(k.partition());
            final long size = k.kind() == WindowKind.MINUTE ? 60_000 : 3_600_000;
            if (max == null || max - delay < k.windowStart() + size + lateness)
            {
                n++;
            }
        }
        return n;
    }

    static BigInteger int128(final long lo, final long hi)
    {
        return BigInteger.valueOf(hi).shiftLeft(64).add(new BigInteger(Long.toUnsignedString(lo)));
    }
}
