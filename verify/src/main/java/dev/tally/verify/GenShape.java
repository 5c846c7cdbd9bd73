package dev.tally.verify;

import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.Option;
import picocli.CommandLine.TypeConversionException;

import dev.tally.gen.GenConfig;

/**
 * The event-shaping flags of {@code ./tally gen} (same names, same defaults), read from verify's
 * {@code --gen-flags} text: together with the seed and event-time start a record's {@code tally.run} header carries,
 * they determine every generated record. Other gen flags in the text (bootstrap, events, pacing of the producer)
 * are ignored; the settings fingerprint in each record's header shows whether the shaping flags were right.
 */
@Command(name = "gen-flags")
final class GenShape
{
    @Option(names = "--accounts") long accounts = 10_000_000L;
    @Option(names = "--zipf-s") double zipfS = 1.1;
    @Option(names = "--rate") long rate = 50_000;
    @Option(names = "--time-rate") long timeRate = 100_000;
    @Option(names = "--burst-factor") double burstFactor = 1.0;
    @Option(names = "--burst-every", converter = Millis.class) long burstEveryMs;
    @Option(names = "--burst-length", converter = Millis.class) long burstLengthMs = 5_000;
    @Option(names = "--lag-mean", converter = Millis.class) long lagMeanMs = 50;
    @Option(names = "--out-of-order-spread", converter = Millis.class) long outOfOrderSpreadMs = 1_000;
    @Option(names = "--late-fraction") double lateFraction = 0.02;
    @Option(names = "--late-min", converter = Millis.class) long lateMinMs = 3_000;
    @Option(names = "--late-max", converter = Millis.class) long lateMaxMs = 600_000;
    @Option(names = "--refund-fraction") double refundFraction = 0.03;
    @Option(names = "--foreign-fraction") double foreignFraction = 0.05;
    @Option(names = "--amount-median") long amountMedian = 2_500;
    @Option(names = "--amount-sigma") double amountSigma = 1.0;
    @Option(names = "--min-size") int minSize = 200;
    @Option(names = "--max-size") int maxSize = 400;
    @Option(names = "--malformed-fraction") double malformedFraction;
    @Option(names = "--json-fraction") double jsonFraction;

    /**
     * Read the shaping flags out of a gen command line.
     *
     * @param flags gen flags separated by white space; null or blank for gen's defaults.
     * @throws VerifyException (exit 2) if a shaping flag has a bad value.
     */
    static GenShape parse(final String flags)
    {
        final GenShape shape = new GenShape();
        final CommandLine commandLine = new CommandLine(shape);
        commandLine.setUnmatchedArgumentsAllowed(true);
        commandLine.setUnmatchedOptionsArePositionalParams(true);
        try
        {
            commandLine.parseArgs(flags == null || flags.isBlank() ? new String[0] : flags.strip().split("\\s+"));
            shape.config(0, 0).validate();
        }
        catch (final CommandLine.ParameterException | IllegalArgumentException e)
        {
            throw new VerifyException(2, "--gen-flags: " + e.getMessage());
        }
        return shape;
    }

    /** @return the generator settings of the run with {@code seed} and {@code eventTimeStart}. */
    GenConfig config(final long seed, final long eventTimeStart)
    {
        return new GenConfig().seed(seed).eventTimeStart(eventTimeStart).accounts(accounts).zipfS(zipfS)
            .rate(rate).timeRate(timeRate).burstFactor(burstFactor).burstEveryMs(burstEveryMs)
            .burstLengthMs(burstLengthMs).lagMeanMs(lagMeanMs).outOfOrderSpreadMs(outOfOrderSpreadMs)
            .lateFraction(lateFraction).lateMinMs(lateMinMs).lateMaxMs(lateMaxMs).refundFraction(refundFraction)
            .foreignFraction(foreignFraction).amountMedian(amountMedian).amountSigma(amountSigma)
            .minSize(minSize).maxSize(maxSize).malformedFraction(malformedFraction).jsonFraction(jsonFraction);
    }

    /** Durations as gen writes them: a decimal number with ms, s, m or h (none = ms). */
    static final class Millis implements ITypeConverter<Long>
    {
        private static final Pattern FORM = Pattern.compile("([0-9]+(?:\\.[0-9]+)?)(ms|s|m|h)?");

        @Override
        public Long convert(final String value)
        {
            final Matcher m = FORM.matcher(value.strip().toLowerCase(Locale.ROOT));
            if (!m.matches())
            {
                throw new TypeConversionException("'" + value + "' is not a duration (e.g. 500ms, 2s, 5m, 1h)");
            }
            final long unit = switch (m.group(2) == null ? "ms" : m.group(2))
            {
                case "s" -> 1_000L;
                case "m" -> 60_000L;
                case "h" -> 3_600_000L;
                default -> 1L;
            };
            return Math.round(Double.parseDouble(m.group(1)) * unit);
        }
    }
}
