package dev.tally.verify;

import java.io.PrintStream;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;

import org.agrona.concurrent.UnsafeBuffer;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.common.header.Header;
import org.apache.kafka.common.utils.Utils;

import dev.tally.codec.MutableEvent;
import dev.tally.codec.RecordFraming;
import dev.tally.gen.EventGenerator;

/**
 * {@code --against-seed}: every record of the topic must be exactly what the generator produces for the index in
 * its {@code tally.idx} header under the run in its {@code tally.run} header: same value bytes, key = the event's
 * account id, partition = Kafka's default choice for that key, generated with the same settings (fingerprint), and
 * per run and partition in strictly increasing index order (so no index appears twice). Indices never seen below the
 * highest one are reported, not failed: a generator stopped without {@code --resume} leaves such gaps.
 */
final class SeedCheck implements Consumer<ConsumerRecord<byte[], byte[]>>
{
    private record Run(long seed, long eventTimeStart, long fingerprint)
    {
    }

    private final GenShape shape;
    private final int partitions;
    private final int maxDiff;
    private final Map<Run, EventGenerator> generators = new HashMap<>();
    private final Map<Run, long[]> indexStats = new HashMap<>();
    private final Map<List<Object>, Long> lastIndex = new HashMap<>();
    private final List<String> samples = new ArrayList<>();
    private final MutableEvent event = new MutableEvent();
    private final byte[] key = new byte[RecordFraming.KEY_LENGTH];
    private UnsafeBuffer scratch = new UnsafeBuffer(new byte[0]);
    private long checked;
    private long differing;

    SeedCheck(final GenShape shape, final int partitions, final int maxDiff)
    {
        this.shape = shape;
        this.partitions = partitions;
        this.maxDiff = maxDiff;
    }

    @Override
    public void accept(final ConsumerRecord<byte[], byte[]> record)
    {
        checked++;
        final byte[] idx = header(record, RecordFraming.INDEX_HEADER, RecordFraming.INDEX_HEADER_LENGTH);
        final byte[] runBytes = header(record, RecordFraming.RUN_HEADER, RecordFraming.RUN_HEADER_LENGTH);
        if (idx == null || runBytes == null)
        {
            differ(record, "no well-formed tally.idx and tally.run headers: not written by tally gen");
            return;
        }
        final long index = RecordFraming.getLongBigEndian(idx, 0);
        final Run run = new Run(RecordFraming.getLongBigEndian(runBytes, 0),
            RecordFraming.getLongBigEndian(runBytes, 8), RecordFraming.getLongBigEndian(runBytes, 16));
        final EventGenerator generator = generators.computeIfAbsent(run, r ->
            new EventGenerator(shape.config(r.seed(), r.eventTimeStart())));
        final long fingerprint = shape.config(run.seed(), run.eventTimeStart()).fingerprint();
        if (fingerprint != run.fingerprint())
        {
            differ(record, "written with other event-shaping settings (fingerprint " + Long.toHexString(run.fingerprint()) +
                ", --gen-flags give " + Long.toHexString(fingerprint) + "): pass tally gen's flags with --gen-flags");
            return;
        }
        if (scratch.capacity() < generator.maxValueLength())
        {
            scratch = new UnsafeBuffer(new byte[generator.maxValueLength()]);
        }
        final int length = generator.encode(index, scratch, 0, event);
        final byte[] value = record.value() == null ? new byte[0] : record.value();
        RecordFraming.putLongBigEndian(key, 0, event.accountId());
        final Long previous = lastIndex.put(List.of(run, record.partition()), index);
        if (!Arrays.equals(value, 0, value.length, scratch.byteArray(), 0, length))
        {
            differ(record, "value differs from generated event " + index + " of seed " + run.seed());
        }
        else if (!Arrays.equals(key, record.key()))
        {
            differ(record, "key differs from the account id of generated event " + index);
        }
        else if (Utils.toPositive(Utils.murmur2(key)) % partitions != record.partition())
        {
            differ(record, "event " + index + " belongs in partition " +
                Utils.toPositive(Utils.murmur2(key)) % partitions);
        }
        else if (previous != null && previous >= index)
        {
            differ(record, "index " + index + " follows index " + previous + " in its partition (repeated or reordered)");
        }
        else
        {
            final long[] stats = indexStats.computeIfAbsent(run, r -> new long[] {0, -1});
            stats[0]++;
            stats[1] = Math.max(stats[1], index);
        }
    }

    private static byte[] header(final ConsumerRecord<byte[], byte[]> record, final String name, final int length)
    {
        final Header header = record.headers().lastHeader(name);
        return header == null || header.value() == null || header.value().length != length ? null : header.value();
    }

    private void differ(final ConsumerRecord<byte[], byte[]> record, final String why)
    {
        differing++;
        if (samples.size() < maxDiff)
        {
            samples.add("  diff [against-seed] partition=" + record.partition() + " offset=" + record.offset() + ": " +
                why);
        }
    }

    boolean matches()
    {
        return differing == 0;
    }

    /** Print the per-run summary and the first differing records. */
    void report(final PrintStream out)
    {
        out.println("verify: against-seed: " + checked + " records checked, " + (checked - differing) +
            " equal the generator's, " + differing + " differ");
        indexStats.forEach((run, stats) -> out.println("verify: against-seed: run seed=" + run.seed() +
            " event-time-start=" + Instant.ofEpochMilli(run.eventTimeStart()) + ": " + stats[0] +
            " events of indices 0.." + stats[1] + ", " + (stats[1] + 1 - stats[0]) + " indices absent"));
        samples.forEach(out::println);
    }
}
