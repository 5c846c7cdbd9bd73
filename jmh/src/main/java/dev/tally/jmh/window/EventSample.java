package dev.tally.jmh.window;

import org.agrona.ExpandableArrayBuffer;
import org.agrona.collections.LongHashSet;
import org.agrona.concurrent.UnsafeBuffer;

import dev.tally.codec.EventEncoder;
import dev.tally.codec.MutableEvent;
import dev.tally.gen.Countries;
import dev.tally.gen.EventGenerator;
import dev.tally.gen.GenConfig;

/**
 * A fixed slice of the generated stream, encoded as the record values Kafka would hand the engine, with each
 * record's partition and Kafka timestamp. Replayed lap after lap with event and Kafka time shifted by
 * {@link #spanMs()} per lap, it is an endless stream whose watermark keeps advancing while its keys repeat, so the
 * window state stays bounded.
 * <p>
 * Hot keys are the generator's own accounts (Zipf s = 1.1 over 10M). Cold keys replace each account with one
 * drawn uniformly from the same 10M (the event keeps its home country unless it happened abroad), so almost
 * every event of a lap has a key of its own.
 */
public final class EventSample
{
    public static final long SEED = 20_260_101L;
    public static final int PARTITIONS = 8;
    /** Where the sample's event time starts: 30 s before an hour boundary, so the hour window turns over early. */
    public static final long START_MS = 1_767_225_600_000L - 30_000L;

    private final UnsafeBuffer values;
    private final int[] offsets;
    private final int[] lengths;
    private final byte[] partitions;
    private final long[] kafkaTimestamps;
    private final long spanMs;
    private final int distinctKeys;

    private EventSample(final UnsafeBuffer values, final int[] offsets, final int[] lengths, final byte[] partitions,
        final long[] kafkaTimestamps, final long spanMs, final int distinctKeys)
    {
        this.values = values;
        this.offsets = offsets;
        this.lengths = lengths;
        this.partitions = partitions;
        this.kafkaTimestamps = kafkaTimestamps;
        this.spanMs = spanMs;
        this.distinctKeys = distinctKeys;
    }

    /**
     * The benchmarks' sample: the generator's defaults with {@link #SEED}, event time from {@link #START_MS} and
     * {@code accounts} accounts.
     *
     * @param cold     true for uniform accounts, false for the generator's Zipf accounts.
     * @param events   how many record values to encode.
     * @param accounts the size of the account space.
     * @return the sample.
     */
    public static EventSample generate(final boolean cold, final int events, final long accounts)
    {
        return generate(cold, events, new GenConfig().seed(SEED).accounts(accounts).eventTimeStart(START_MS));
    }

    /**
     * @param cold   true for uniform accounts, false for the generator's Zipf accounts.
     * @param events how many record values to encode.
     * @param config the generator's settings (its seed fixes the sample).
     * @return the sample.
     */
    public static EventSample generate(final boolean cold, final int events, final GenConfig config)
    {
        if (cold && (config.jsonFraction() != 0 || config.malformedFraction() != 0))
        {
            throw new IllegalArgumentException("cold keys rewrite binary headers: JSON and malformed values not allowed");
        }
        final EventGenerator generator = new EventGenerator(config);
        final Countries countries = generator.countries();
        final EventEncoder encoder = new EventEncoder();
        final MutableEvent event = new MutableEvent();
        final ExpandableArrayBuffer buffer = new ExpandableArrayBuffer(events * 320);
        final int[] offsets = new int[events];
        final int[] lengths = new int[events];
        final byte[] partitions = new byte[events];
        final long[] kafkaTimestamps = new long[events];
        final LongHashSet keys = new LongHashSet(events);
        final UniformAccounts uniform = new UniformAccounts(SEED, config.accounts());

        int position = 0;
        for (int i = 0; i < events; i++)
        {
            buffer.checkLimit(position + generator.maxValueLength());
            final int length = generator.encode(i, buffer, position, event);
            if (cold)
            {
                final boolean abroad = event.country() != countries.home(event.accountId());
                final long account = uniform.next();
                event.accountId(account).country(abroad ? event.country() : countries.home(account));
                encoder.wrap(buffer, position).header(event);
            }
            offsets[i] = position;
            lengths[i] = length;
            partitions[i] = (byte)partitionOf(event.accountId());
            kafkaTimestamps[i] = generator.nominalTime(i);
            keys.add((event.accountId() << 16) | event.country());
            position += length;
        }
        final UnsafeBuffer values = new UnsafeBuffer(buffer.byteArray(), 0, position);
        final long spanMs = generator.nominalTime(events) - generator.nominalTime(0);
        return new EventSample(values, offsets, lengths, partitions, kafkaTimestamps, spanMs, keys.size());
    }

    /** Kafka's choice for a record keyed by account: a hash of the key modulo the partition count. */
    public static int partitionOf(final long accountId)
    {
        final long h = accountId * 0x9E3779B97F4A7C15L;
        return (int)((h >>> 32) % PARTITIONS);
    }

    public int size()
    {
        return offsets.length;
    }

    public UnsafeBuffer values()
    {
        return values;
    }

    public int[] offsets()
    {
        return offsets;
    }

    public int[] lengths()
    {
        return lengths;
    }

    public byte[] partitions()
    {
        return partitions;
    }

    public long[] kafkaTimestamps()
    {
        return kafkaTimestamps;
    }

    /** How far event and Kafka time move from one lap to the next: the nominal duration of the sample. */
    public long spanMs()
    {
        return spanMs;
    }

    /** Distinct (account, country) pairs in the sample: the most rows one window of one kind can hold. */
    public int distinctKeys()
    {
        return distinctKeys;
    }
}
