package dev.tally.verify;

import java.io.PrintStream;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.function.Consumer;

import org.agrona.concurrent.UnsafeBuffer;
import org.apache.kafka.clients.consumer.ConsumerConfig;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.KafkaException;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;

import dev.tally.codec.Country;
import dev.tally.codec.DecodeResult;
import dev.tally.codec.MutableEvent;
import dev.tally.codec.ValueDecoder;

/**
 * Reads every partition of the topic from its beginning up to the end offset of the {@link TopicSnapshot}
 * ({@code read_committed}) and classifies each record by the rules of docs/windowing.md, one partition's state
 * at a time, into plain maps: this is the ground truth ClickHouse is compared with.
 */
final class GroundTruth
{
    private static final Duration POLL = Duration.ofMillis(500);
    private static final long STALL_NANOS = Duration.ofSeconds(60).toNanos();
    private static final long PROGRESS_NANOS = Duration.ofSeconds(5).toNanos();
    private static final byte[] EMPTY = new byte[0];

    private final WindowRules rules;
    private final Expected expected = new Expected();
    private final ValueDecoder decoder = new ValueDecoder();
    private final MutableEvent event = new MutableEvent();
    private final UnsafeBuffer value = new UnsafeBuffer(EMPTY);
    /** Per partition, the largest event time of its well-formed, non-future records so far; absent = none yet. */
    private final Map<Integer, Long> maxEventTime = new HashMap<>();

    GroundTruth(final WindowRules rules)
    {
        this.rules = rules;
    }

    /** @return what the records classified so far add up to. */
    Expected expected()
    {
        return expected;
    }

    /**
     * Compute the ground truth of the topic up to {@code snapshot}.
     *
     * @param bootstrap Kafka bootstrap servers.
     * @param snapshot  partitions and the offsets to read up to.
     * @param rules     windowing configuration; must equal the engine's.
     * @param alsoCheck sees every record read (e.g. the against-seed check), or null.
     * @param progress  receives a progress line every few seconds.
     * @return the expected rows and side output.
     */
    static Expected compute(final String bootstrap, final TopicSnapshot snapshot, final WindowRules rules,
        final Consumer<ConsumerRecord<byte[], byte[]>> alsoCheck, final PrintStream progress)
    {
        final GroundTruth truth = new GroundTruth(rules);
        final Properties p = new Properties();
        p.put(ConsumerConfig.BOOTSTRAP_SERVERS_CONFIG, bootstrap);
        p.put(ConsumerConfig.ISOLATION_LEVEL_CONFIG, "read_committed");
        p.put(ConsumerConfig.ENABLE_AUTO_COMMIT_CONFIG, "false");
        p.put(ConsumerConfig.MAX_POLL_RECORDS_CONFIG, "10000");
        p.put(ConsumerConfig.CLIENT_ID_CONFIG, "tally-verify-reader");
        try (KafkaConsumer<byte[], byte[]> consumer =
            new KafkaConsumer<>(p, new ByteArrayDeserializer(), new ByteArrayDeserializer()))
        {
            truth.readAll(consumer, snapshot, alsoCheck, progress);
        }
        catch (final KafkaException e)
        {
            throw TopicSnapshot.unreachable(bootstrap, e);
        }
        return truth.expected;
    }

    private void readAll(final KafkaConsumer<byte[], byte[]> consumer, final TopicSnapshot snapshot,
        final Consumer<ConsumerRecord<byte[], byte[]>> alsoCheck, final PrintStream progress)
    {
        final List<TopicPartition> open = new ArrayList<>();
        snapshot.ends().forEach((partition, end) -> open.add(new TopicPartition(snapshot.topic(), partition)));
        consumer.assign(open);
        consumer.seekToBeginning(open);
        for (final TopicPartition tp : open)
        {
            final long first = consumer.position(tp);
            if (first > 0)
            {
                expected.warnings.add(tp + " begins at offset " + first + ": the records below it are gone " +
                    "(retention), so the ground truth cannot include them");
            }
        }
        long lastPrint = System.nanoTime();
        long lastProgress = lastPrint;
        long lastPositions = -1;
        while (true)
        {
            open.removeIf(tp -> consumer.position(tp) >= snapshot.ends().get(tp.partition()));
            consumer.pause(consumer.assignment().stream().filter(tp -> !open.contains(tp)).toList());
            if (open.isEmpty())
            {
                return;
            }
            final long positions = open.stream().mapToLong(consumer::position).sum();
            final long now = System.nanoTime();
            if (positions != lastPositions)
            {
                lastPositions = positions;
                lastProgress = now;
            }
            else if (now - lastProgress > STALL_NANOS)
            {
                throw new VerifyException(1, "reading " + open + " made no progress for 60s: is Kafka healthy?");
            }
            if (now - lastPrint > PROGRESS_NANOS)
            {
                progress.println("verify: read " + expected.records + " of at most " + snapshot.totalEnd() +
                    " records");
                lastPrint = now;
            }
            for (final ConsumerRecord<byte[], byte[]> record : consumer.poll(POLL))
            {
                if (record.offset() < snapshot.ends().get(record.partition()))
                {
                    classify(record);
                    if (alsoCheck != null)
                    {
                        alsoCheck.accept(record);
                    }
                }
            }
        }
    }

    /** Classify the next record of its partition (records of one partition must come in offset order). */
    void classify(final ConsumerRecord<byte[], byte[]> record)
    {
        expected.records++;
        final int partition = record.partition();
        final long offset = record.offset();
        final byte[] bytes = record.value() == null ? EMPTY : record.value();
        value.wrap(bytes);
        if (decoder.decode(value, 0, bytes.length, event) != DecodeResult.OK)
        {
            expected.sideOutput(partition, offset, WindowRules.NONE, Expected.MALFORMED);
            return;
        }
        final long eventTime = event.eventTime();
        if (rules.isFuture(record.timestamp(), eventTime))
        {
            expected.sideOutput(partition, offset, WindowRules.NONE, Expected.FUTURE);
            return;
        }
        final Long max = maxEventTime.get(partition);
        for (final int kind : new int[] {WindowRules.MINUTE, WindowRules.HOUR})
        {
            if (!rules.computes(kind))
            {
                continue;
            }
            if (rules.accepted(max, kind, eventTime))
            {
                expected.accept(kind, WindowRules.windowStartSeconds(kind, eventTime), event.accountId(),
                    Country.toString(event.country()), event.amount());
                if (rules.afterClose(max, kind, eventTime))
                {
                    expected.foldedLatePerKind[kind]++;
                }
            }
            else
            {
                expected.sideOutput(partition, offset, kind, Expected.LATE);
            }
        }
        maxEventTime.put(partition, max == null ? eventTime : Math.max(max, eventTime));
    }
}
