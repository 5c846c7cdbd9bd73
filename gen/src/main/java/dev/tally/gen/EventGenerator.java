package dev.tally.gen;

import org.agrona.MutableDirectBuffer;

import dev.tally.codec.EventEncoder;
import dev.tally.codec.EventKind;
import dev.tally.codec.JsonEventEncoder;
import dev.tally.codec.MutableEvent;
import dev.tally.codec.WireFormat;

/**
 * The deterministic event source: event {@code i} is a pure function of (config, i), so any slice of the stream
 * can be regenerated without generating what came before. Each aspect (the event's fields, its lateness, its id,
 * its payload, its form) draws from its own {@link RandomStream} positioned at (seed, purpose, i).
 * <p>
 * Event time: {@code eventTimeStart + schedule(i) - lag - spread - lateness}, where schedule(i) is when event i is
 * due under {@link LoadSchedule}, lag is exponential, spread uniform in [0, out-of-order-spread) and lateness,
 * for a {@code lateFraction} of events, log-uniform in [lateMin, lateMax].
 * Not thread-safe: one instance per thread. Nothing here allocates per event.
 */
public final class EventGenerator
{
    private static final long EVENT_SALT = 0x6576656E74L;
    private static final long LATE_SALT = 0x6C617465L;
    private static final long ID_SALT = 0x6964L;
    private static final long PAYLOAD_SALT = 0x7061796CL;
    private static final long FORM_SALT = 0x666F726DL;
    private static final double PURCHASE_SHARE = 0.35;
    private static final double OTHER_SHARE = 0.07;
    private static final long AMOUNT_CAP = 1_000_000_000L;
    private static final double LAG_CAP_MS = 60_000;

    private final GenConfig config;
    private final ZipfSampler zipf;
    private final Countries countries;
    private final LoadSchedule schedule;
    private final long eventKey;
    private final long lateKey;
    private final long idKey;
    private final long payloadKey;
    private final long formKey;
    private final double logLateMin;
    private final double logLateRange;
    private final double logAmountMedian;
    private final RandomStream random = new RandomStream();
    private final RandomStream aux = new RandomStream();
    private final RandomStream formRandom = new RandomStream();
    private final MutableEvent scratch = new MutableEvent();
    private final EventEncoder encoder = new EventEncoder();
    private final JsonEventEncoder json = new JsonEventEncoder();
    private final Corruptor corruptor = new Corruptor();

    /**
     * @param config validated configuration; later changes to it are not seen.
     */
    public EventGenerator(final GenConfig config)
    {
        config.validate();
        this.config = new GenConfig();
        copy(config, this.config);
        this.zipf = new ZipfSampler(config.accounts(), config.zipfS());
        this.countries = new Countries(config.seed());
        this.schedule = config.schedule();
        final long seed = config.seed();
        this.eventKey = RandomStream.key(seed, EVENT_SALT);
        this.lateKey = RandomStream.key(seed, LATE_SALT);
        this.idKey = RandomStream.key(seed, ID_SALT);
        this.payloadKey = RandomStream.key(seed, PAYLOAD_SALT);
        this.formKey = RandomStream.key(seed, FORM_SALT);
        this.logLateMin = Math.log(config.lateMinMs());
        this.logLateRange = Math.log(config.lateMaxMs()) - logLateMin;
        this.logAmountMedian = Math.log(config.amountMedian());
    }

    /**
     * Fill {@code out} with event {@code index}: id, account, country, time, amount, kind and the payload length
     * of its binary form (zero if the event is sent as JSON).
     *
     * @param index event index, non-negative.
     * @param out   receives the fields.
     */
    public void event(final long index, final MutableEvent out)
    {
        final GenConfig c = config;
        final RandomStream r = random.at(eventKey, index);
        final long account = zipf.sample(r);
        final double kindDraw = r.nextDouble();
        final double gaussian = r.nextGaussian();
        final double abroadDraw = r.nextDouble();
        final double countryDraw = r.nextDouble();
        final double lag = Math.min(r.nextExponential(c.lagMeanMs()), LAG_CAP_MS);
        final double spread = r.nextDouble() * c.outOfOrderSpreadMs();
        final int size = c.minSize() + r.nextInt(c.maxSize() - c.minSize() + 1);

        final int kind;
        if (kindDraw < c.refundFraction())
        {
            kind = EventKind.REFUND;
        }
        else if (kindDraw < c.refundFraction() + PURCHASE_SHARE)
        {
            kind = EventKind.PURCHASE;
        }
        else if (kindDraw < c.refundFraction() + PURCHASE_SHARE + OTHER_SHARE)
        {
            kind = EventKind.OTHER;
        }
        else
        {
            kind = EventKind.VIEW;
        }
        long amount = 0;
        if (kind == EventKind.PURCHASE || kind == EventKind.REFUND)
        {
            amount = Math.max(1, Math.min(AMOUNT_CAP, Math.round(Math.exp(logAmountMedian + c.amountSigma() * gaussian))));
            amount = kind == EventKind.REFUND ? -amount : amount;
        }
        final int country = abroadDraw < c.foreignFraction() ? countries.pick(countryDraw) : countries.home(account);
        final long eventTime = nominalTime(index) - (long)lag - (long)spread - lateness(index);

        final RandomStream ids = aux.at(idKey, index);
        final long hi = (ids.nextLong() & 0xFFFF_FFFF_FFFF_0FFFL) | 0x0000_0000_0000_4000L;
        final long lo = (ids.nextLong() & 0x3FFF_FFFF_FFFF_FFFFL) | 0x8000_0000_0000_0000L;

        out.eventId(hi, lo)
            .accountId(account)
            .country(country)
            .eventTime(eventTime)
            .amount(amount)
            .kind(kind)
            .payloadLength(isJson(index) ? 0 : size - WireFormat.HEADER_LENGTH);
    }

    /**
     * Encode record value {@code index} as it goes to Kafka: binary, JSON, or (for malformed indices) corrupt.
     *
     * @param index  event index.
     * @param buffer destination with room for {@link #maxValueLength()} bytes from {@code offset}.
     * @param offset where to write.
     * @return length of the value.
     */
    public int encode(final long index, final MutableDirectBuffer buffer, final int offset)
    {
        return encode(index, buffer, offset, scratch);
    }

    /**
     * Encode record value {@code index} and leave the event's fields in {@code event} (e.g. for its key).
     *
     * @param index  event index.
     * @param buffer destination with room for {@link #maxValueLength()} bytes from {@code offset}.
     * @param offset where to write.
     * @param event  receives the fields of event {@code index}, as {@link #event(long, MutableEvent)} gives them.
     * @return length of the value.
     */
    public int encode(final long index, final MutableDirectBuffer buffer, final int offset, final MutableEvent event)
    {
        event(index, event);
        final RandomStream form = formRandom.at(formKey, index);
        final boolean malformed = form.nextDouble() < config.malformedFraction();
        if (form.nextDouble() < config.jsonFraction() && !malformed)
        {
            return json.encode(event, buffer, offset);
        }
        encoder.wrap(buffer, offset).header(event);
        final int start = aux.at(payloadKey, index).nextInt(PayloadText.START_RANGE);
        buffer.putBytes(encoder.payloadOffset(), PayloadText.BLOCK, start, event.payloadLength());
        final int length = encoder.encodedLength();
        return malformed ? corruptor.corrupt(form, event, buffer, offset, length) : length;
    }

    /**
     * @param index event index.
     * @return true if record {@code index} is deliberately malformed (verification must skip it).
     */
    public boolean isMalformed(final long index)
    {
        return formRandom.at(formKey, index).nextDouble() < config.malformedFraction();
    }

    /**
     * @param index event index.
     * @return true if record {@code index} is sent in the JSON form (never true for a malformed index).
     */
    public boolean isJson(final long index)
    {
        final RandomStream form = formRandom.at(formKey, index);
        final boolean malformed = form.nextDouble() < config.malformedFraction();
        return form.nextDouble() < config.jsonFraction() && !malformed;
    }

    /**
     * @param index event index.
     * @return extra lateness of event {@code index} in ms: zero unless it is one of the late fraction.
     */
    public long lateness(final long index)
    {
        final RandomStream r = aux.at(lateKey, index);
        if (r.nextDouble() >= config.lateFraction())
        {
            return 0;
        }
        return (long)Math.exp(logLateMin + r.nextDouble() * logLateRange);
    }

    /**
     * @param index event index.
     * @return when event {@code index} is due under the schedule, as epoch ms: its event time before lag,
     * spread and lateness are taken off.
     */
    public long nominalTime(final long index)
    {
        return config.eventTimeStart() + schedule.offsetNanos(index) / 1_000_000L;
    }

    /** @return the largest value {@link #encode} writes. */
    public int maxValueLength()
    {
        return Math.max(config.maxSize(), JsonEventEncoder.MAX_LENGTH);
    }

    /** @return the home-country model (e.g. for verification of per-country rollups). */
    public Countries countries()
    {
        return countries;
    }

    /** @return the schedule of nominal times. */
    public LoadSchedule schedule()
    {
        return schedule;
    }

    private static void copy(final GenConfig from, final GenConfig to)
    {
        to.seed(from.seed()).accounts(from.accounts()).zipfS(from.zipfS()).eventTimeStart(from.eventTimeStart())
            .rate(from.rate()).timeRate(from.timeRate()).burstFactor(from.burstFactor())
            .burstEveryMs(from.burstEveryMs()).burstLengthMs(from.burstLengthMs()).lagMeanMs(from.lagMeanMs())
            .outOfOrderSpreadMs(from.outOfOrderSpreadMs()).lateFraction(from.lateFraction())
            .lateMinMs(from.lateMinMs()).lateMaxMs(from.lateMaxMs()).refundFraction(from.refundFraction())
            .foreignFraction(from.foreignFraction()).amountMedian(from.amountMedian())
            .amountSigma(from.amountSigma()).minSize(from.minSize()).maxSize(from.maxSize())
            .malformedFraction(from.malformedFraction()).jsonFraction(from.jsonFraction());
    }
}
