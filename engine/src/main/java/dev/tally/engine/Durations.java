package dev.tally.engine;

import java.time.Duration;

import picocli.CommandLine;

/** Flag values like {@code 200ms}, {@code 1s}, {@code 2m}, {@code 1h}; a bare number is milliseconds. */
public final class Durations implements CommandLine.ITypeConverter<Duration>
{
    @Override
    public Duration convert(final String value)
    {
        return parse(value);
    }

    public static Duration parse(final String value)
    {
        final String v = value.trim();
        final int unitAt = firstNonDigit(v);
        if (unitAt == 0)
        {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a duration like 200ms, 1s, 2m or 1h");
        }
        final long amount = Long.parseLong(v.substring(0, unitAt));
        return switch (v.substring(unitAt))
        {
            case "", "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> throw new CommandLine.TypeConversionException(
                "'" + value + "' is not a duration like 200ms, 1s, 2m or 1h");
        };
    }

    private static int firstNonDigit(final String s)
    {
        int i = 0;
        while (i < s.length() && Character.isDigit(s.charAt(i)))
        {
            i++;
        }
        return i;
    }
}
