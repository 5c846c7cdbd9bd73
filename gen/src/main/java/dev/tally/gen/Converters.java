package dev.tally.gen;

import java.time.Instant;
import java.time.format.DateTimeParseException;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Command-line value converters: durations such as {@code 500ms, 2s, 5m, 1h} (a bare number is milliseconds) and
 * instants given as epoch milliseconds or ISO-8601 ({@code 2026-01-01T00:00:00Z}).
 */
final class Converters
{
    private Converters()
    {
    }

    /** Converts a duration to milliseconds. */
    static final class Millis implements ITypeConverter<Long>
    {
        @Override
        public Long convert(final String value)
        {
            return parseMillis(value);
        }
    }

    /** Converts an instant to epoch milliseconds. */
    static final class EpochMillis implements ITypeConverter<Long>
    {
        @Override
        public Long convert(final String value)
        {
            try
            {
                return Long.parseLong(value);
            }
            catch (final NumberFormatException ignore)
            {
                try
                {
                    return Instant.parse(value).toEpochMilli();
                }
                catch (final DateTimeParseException e)
                {
                    throw new TypeConversionException("'" + value + "' is neither epoch ms nor an ISO-8601 instant");
                }
            }
        }
    }

    static long parseMillis(final String value)
    {
        final String v = value.trim().toLowerCase(java.util.Locale.ROOT);
        final long unit;
        final String number;
        if (v.endsWith("ms"))
        {
            unit = 1;
            number = v.substring(0, v.length() - 2);
        }
        else if (v.endsWith("s"))
        {
            unit = 1_000;
            number = v.substring(0, v.length() - 1);
        }
        else if (v.endsWith("m"))
        {
            unit = 60_000;
            number = v.substring(0, v.length() - 1);
        }
        else if (v.endsWith("h"))
        {
            unit = 3_600_000;
            number = v.substring(0, v.length() - 1);
        }
        else
        {
            unit = 1;
            number = v;
        }
        try
        {
            final double amount = Double.parseDouble(number);
            if (!(amount >= 0) || Double.isInfinite(amount))
            {
                throw new TypeConversionException("'" + value + "' is not a non-negative duration");
            }
            return Math.round(amount * unit);
        }
        catch (final NumberFormatException e)
        {
            throw new TypeConversionException("'" + value + "' is not a duration (e.g. 500ms, 2s, 5m, 1h)");
        }
    }
}
