package dev.tally.engine.window;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Random partitioned streams (out of order, late beyond lateness, future, malformed, huge amounts) through the real
 * {@link Windowing} and through {@link ReferenceWindowing}: every emitted row must hold exactly the reference
 * aggregate at its version's offset, the last emitted row of every key must be the final aggregate, the side output
 * must match record for record, and closed windows must leave the state.
 */
class WindowingPropertyTest
{
    private static final long BASE = 1_767_225_600_000L; // 2026-01-01T00:00:00Z

    record Row(ReferenceWindowing.Key key, long count, BigInteger sum, long version)
    {
    }

    static LongStream seeds()
    {
        return LongStream.rangeClosed(1, 50);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void matchesReference(final long seed)
    {
        final SplittableRandom rnd = new SplittableRandom(seed);
        final long delay = rnd.nextInt(4) * 1_000L;
        final long lateness = rnd.nextInt(3) * 15_000L;
        final long skew = 3_600_000L;
        final int kindMask = 1 + rnd.nextInt(3);
        final WindowingConfig config = new WindowingConfig(delay, lateness, skew, kindMask, 0, 16);

        final List<Row> emitted = new ArrayList<>();
        final List<ReferenceWindowing.Side> side = new ArrayList<>();
        final Windowing windowing = new Windowing(config,
            (kind, start, account, country, partition, count, lo, hi, version) -> emitted.add(new Row(
                new ReferenceWindowing.Key(kind, start, account, country, partition), count,
                ReferenceWindowing.int128(lo, hi), version)),
            (partition, offset, reason, kind) -> side.add(new ReferenceWindowing.Side(partition, offset, reason, kind)));
        final ReferenceWindowing reference = new ReferenceWindowing(delay, lateness, skew, kindMask);

        final int partitions = 1 + rnd.nextInt(4);
        final long[] nextOffset = new long[partitions];
        final long[] clock = new long[partitions];
        for (int p = 0; p < partitions; p++)
        {
            nextOffset[p] = rnd.nextInt(1000);
            clock[p] = BASE + rnd.nextInt(120_000);
        }
        final int records = 3_000 + rnd.nextInt(3_000);
        for (int i = 0; i < records; i++)
        {
            final int p = rnd.nextInt(partitions);
            final long offset = nextOffset[p]++;
            clock[p] += rnd.nextInt(400);
            final long kafkaTs = clock[p];
            final double dice = rnd.nextDouble();
            if (dice < 0.02)
            {
                windowing.onMalformed(p, offset);
                reference.malformed(p, offset);
                continue;
            }
            long time = kafkaTs - rnd.nextInt(3_000);
            if (dice < 0.04)
            {
                time = kafkaTs + skew + 1 + rnd.nextInt(100_000);
            }
            else if (dice < 0.05)
            {
                time = kafkaTs + skew - rnd.nextInt(2);
            }
            else if (dice < 0.15)
            {
                time = kafkaTs - rnd.nextLong(4 * 3_600_000L);
            }
            if (rnd.nextBoolean())
            {
                time -= Math.floorMod(time, 1_000L); // whole seconds, so watermarks land exactly on window boundaries
            }
            final long account = 1 + rnd.nextInt(dice < 0.5 ? 3 : 50);
            final int country = 0x4100 + rnd.nextInt(3);
            final long amount = dice > 0.995 ? Long.MAX_VALUE - rnd.nextInt(10) : rnd.nextLong(-1_000_000, 10_000_000);
            windowing.onEvent(p, offset, kafkaTs, account, country, time, amount);
            reference.event(p, offset, kafkaTs, account, country, time, amount);
            if (rnd.nextInt(200) == 0)
            {
                windowing.onTick();
                assertThat(windowing.rowCount()).isEqualTo(reference.openRows());
            }
        }
        windowing.onTick();

        assertThat(side).containsExactlyElementsOf(reference.side);
        final Map<ReferenceWindowing.Key, Row> lastEmitted = new HashMap<>();
        for (final Row row : emitted)
        {
            final long offset = (row.version() & Windowing.OFFSET_MASK) - 1;
            final ReferenceWindowing.Step step = reference.at(row.key(), offset);
            assertThat(step).as("row %s: no accepted record of this key at offset %d", row, offset).isNotNull();
            assertThat(row.count()).as("count of %s", row).isEqualTo(step.count());
            assertThat(row.sum()).as("sum of %s", row).isEqualTo(step.sum());
            final Row previous = lastEmitted.put(row.key(), row);
            if (previous != null)
            {
                assertThat(row.version()).as("versions only grow for %s", row.key()).isGreaterThan(previous.version());
            }
        }
        assertThat(new HashSet<>(lastEmitted.keySet())).isEqualTo(reference.history.keySet());
        for (final Map.Entry<ReferenceWindowing.Key, Row> e : lastEmitted.entrySet())
        {
            final ReferenceWindowing.Step fin = reference.last(e.getKey());
            assertThat(e.getValue().count()).isEqualTo(fin.count());
            assertThat(e.getValue().sum()).isEqualTo(fin.sum());
            assertThat(e.getValue().version()).isEqualTo(fin.offset() + 1);
        }
        assertThat(windowing.rowCount()).isEqualTo(reference.openRows());
    }
}
