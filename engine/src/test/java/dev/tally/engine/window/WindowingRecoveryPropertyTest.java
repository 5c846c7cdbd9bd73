package dev.tally.engine.window;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SplittableRandom;
import java.util.stream.LongStream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Crash and recovery of the windowing state, the way the engine does it: at a tick, after the changed rows are
 * emitted, each partition's checkpoint is (low water R, largest event time at R, position T, watermark at T). The
 * run goes on for a while, then "crashes"; a fresh stage restores every partition from its checkpoint and replays
 * from R. Every row the recovered stage emits must hold the reference aggregate at its version's offset (so it can
 * never overwrite a complete row with a partial one), every key's last row must be the final aggregate, and the side
 * output of both runs together must be the reference's.
 */
class WindowingRecoveryPropertyTest
{
    private static final long BASE = 1_767_225_600_000L;
    private static final long SKEW = 3_600_000L;

    record Rec(int partition, long offset, long kafkaTs, long account, int country, long time, long amount,
        boolean malformed)
    {
    }

    record Row(ReferenceWindowing.Key key, long count, BigInteger sum, long version)
    {
    }

    record Checkpoint(long lowWater, long maxTime, long position, long watermark)
    {
    }

    static LongStream seeds()
    {
        return LongStream.rangeClosed(1, 60);
    }

    @ParameterizedTest
    @MethodSource("seeds")
    void recoveredRowsAreNeverPartialAndTheEndStateIsExact(final long seed)
    {
        final SplittableRandom rnd = new SplittableRandom(seed);
        final long delay = rnd.nextInt(4) * 1_000L;
        final long lateness = rnd.nextInt(3) * 15_000L;
        final int kindMask = 1 + rnd.nextInt(3);
        final WindowingConfig config = new WindowingConfig(delay, lateness, SKEW, kindMask, 0, 16);
        final List<Rec> stream = stream(rnd);
        final ReferenceWindowing reference = new ReferenceWindowing(delay, lateness, SKEW, kindMask);
        stream.forEach(r -> feed(r, null, reference));

        // First run: up to the checkpoint tick, then some more, then the crash.
        final List<Row> beforeCheckpoint = new ArrayList<>();
        final List<Row> afterCheckpoint = new ArrayList<>();
        final Set<ReferenceWindowing.Side> side = new HashSet<>();
        final List<List<Row>> target = new ArrayList<>(List.of(beforeCheckpoint));
        final Windowing first = new Windowing(config, rowSink(r -> target.getFirst().add(r)), sideSink(side));
        final int checkpointAt = rnd.nextInt(stream.size());
        final int crashAt = checkpointAt + rnd.nextInt(stream.size() - checkpointAt + 1);
        final Map<Integer, Checkpoint> checkpoints = new HashMap<>();
        for (int i = 0; i < crashAt; i++)
        {
            feed(stream.get(i), first, null);
            if (rnd.nextInt(150) == 0)
            {
                first.onTick();
            }
            if (i == checkpointAt)
            {
                first.onTick();
                for (int p = 0; p < first.partitionSlots(); p++)
                {
                    if (first.position(p) >= 0)
                    {
                        checkpoints.put(p, new Checkpoint(first.lowWater(p), first.maxEventTimeAtLowWater(p),
                            first.position(p), first.watermark(p)));
                    }
                }
                target.set(0, afterCheckpoint);
            }
        }

        // Recovery, crashing once more in the middle of it: a checkpoint taken while a partition still replays below
        // its restored position must keep the restored one (Windowing.replaying), as the engine does.
        final List<Row> interrupted = new ArrayList<>();
        final Windowing second = new Windowing(config, rowSink(interrupted::add), sideSink(side));
        restoreAll(second, checkpoints);
        final List<Rec> replay = replay(stream, checkpoints);
        final int secondCheckpointAt = replay.isEmpty() ? -1 : rnd.nextInt(replay.size());
        final Map<Integer, Checkpoint> secondCheckpoints = new HashMap<>(checkpoints);
        final List<Row> landedBeforeSecond = new ArrayList<>();
        for (int i = 0; i <= secondCheckpointAt; i++)
        {
            feed(replay.get(i), second, null);
            if (i == secondCheckpointAt)
            {
                second.onTick();
                for (int p = 0; p < second.partitionSlots(); p++)
                {
                    if (second.position(p) >= 0 && !second.replaying(p))
                    {
                        secondCheckpoints.put(p, new Checkpoint(second.lowWater(p), second.maxEventTimeAtLowWater(p),
                            second.position(p), second.watermark(p)));
                    }
                }
                landedBeforeSecond.addAll(interrupted);
            }
        }

        final List<Row> recovered = new ArrayList<>();
        final Windowing third = new Windowing(config, rowSink(recovered::add), sideSink(side));
        restoreAll(third, secondCheckpoints);
        for (final Rec r : replay(stream, secondCheckpoints))
        {
            feed(r, third, null);
            if (rnd.nextInt(150) == 0)
            {
                third.onTick();
            }
        }
        third.onTick();

        for (final List<Row> rows : List.of(beforeCheckpoint, afterCheckpoint, interrupted, recovered))
        {
            for (final Row row : rows)
            {
                final ReferenceWindowing.Step step = reference.at(row.key(), (row.version() & Windowing.OFFSET_MASK) - 1);
                assertThat(step).as("row %s has no accepted record at its version's offset", row).isNotNull();
                assertThat(row.count()).as("count of %s", row).isEqualTo(step.count());
                assertThat(row.sum()).as("sum of %s", row).isEqualTo(step.sum());
            }
        }
        // What ClickHouse holds in the end: per key, the row with the highest version among everything landed
        // (rows emitted before the checkpoint were acknowledged; rows after it may or may not have landed).
        final Map<ReferenceWindowing.Key, Row> best = new HashMap<>();
        for (final List<Row> rows : List.of(beforeCheckpoint, landedBeforeSecond, recovered))
        {
            rows.forEach(r -> best.merge(r.key(), r, (a, b) -> a.version() >= b.version() ? a : b));
        }
        assertThat(best.keySet()).isEqualTo(reference.history.keySet());
        best.forEach((key, row) ->
        {
            final ReferenceWindowing.Step fin = reference.last(key);
            assertThat(row.version()).as("final version of %s", key).isEqualTo(fin.offset() + 1);
            assertThat(row.count()).isEqualTo(fin.count());
            assertThat(row.sum()).isEqualTo(fin.sum());
        });
        assertThat(side).isEqualTo(new HashSet<>(reference.side));
    }

    private static void restoreAll(final Windowing w, final Map<Integer, Checkpoint> checkpoints)
    {
        checkpoints.forEach((p, c) -> w.restore(p, c.maxTime(), c.position(), c.watermark()));
    }

    /** The records a recovery reads: each partition from its checkpoint's low water, in the original order. */
    private static List<Rec> replay(final List<Rec> stream, final Map<Integer, Checkpoint> checkpoints)
    {
        final List<Rec> out = new ArrayList<>();
        for (final Rec r : stream)
        {
            final Checkpoint c = checkpoints.get(r.partition());
            if (c == null || r.offset() >= c.lowWater())
            {
                out.add(r);
            }
        }
        return out;
    }

    private static void feed(final Rec r, final Windowing w, final ReferenceWindowing ref)
    {
        if (r.malformed())
        {
            if (w != null)
            {
                w.onMalformed(r.partition(), r.offset());
            }
            if (ref != null)
            {
                ref.malformed(r.partition(), r.offset());
            }
            return;
        }
        if (w != null)
        {
            w.onEvent(r.partition(), r.offset(), r.kafkaTs(), r.account(), r.country(), r.time(), r.amount());
        }
        if (ref != null)
        {
            ref.event(r.partition(), r.offset(), r.kafkaTs(), r.account(), r.country(), r.time(), r.amount());
        }
    }

    private static List<Rec> stream(final SplittableRandom rnd)
    {
        final int partitions = 1 + rnd.nextInt(3);
        final long[] nextOffset = new long[partitions];
        final long[] clock = new long[partitions];
        for (int p = 0; p < partitions; p++)
        {
            nextOffset[p] = rnd.nextInt(100);
            clock[p] = BASE + rnd.nextInt(120_000);
        }
        final List<Rec> out = new ArrayList<>();
        final int n = 2_000 + rnd.nextInt(2_000);
        for (int i = 0; i < n; i++)
        {
            final int p = rnd.nextInt(partitions);
            clock[p] += rnd.nextInt(500);
            final double dice = rnd.nextDouble();
            long time = clock[p] - rnd.nextInt(3_000);
            if (dice < 0.1)
            {
                time = clock[p] - rnd.nextLong(2 * 3_600_000L);
            }
            else if (dice < 0.12)
            {
                time = clock[p] + SKEW + 1 + rnd.nextInt(10_000);
            }
            if (rnd.nextBoolean())
            {
                time -= Math.floorMod(time, 1_000L);
            }
            out.add(new Rec(p, nextOffset[p]++, clock[p], 1 + rnd.nextInt(dice < 0.5 ? 3 : 30), 0x4100 + rnd.nextInt(2),
                time, rnd.nextLong(-1_000, 100_000), dice > 0.98));
        }
        return out;
    }

    private static RowSink rowSink(final java.util.function.Consumer<Row> out)
    {
        return (kind, start, account, country, partition, count, lo, hi, version) -> out.accept(new Row(
            new ReferenceWindowing.Key(kind, start, account, country, partition), count,
            ReferenceWindowing.int128(lo, hi), version));
    }

    private static SideOutputSink sideSink(final Set<ReferenceWindowing.Side> out)
    {
        return (partition, offset, reason, kind) -> out.add(new ReferenceWindowing.Side(partition, offset, reason, kind));
    }
}
