package dev.tally.verify;

import java.time.Duration;

import picocli.CommandLine.ITypeConverter;
import picocli.CommandLine.TypeConversionException;

/**
 * Reads a duration written as whole digits and a unit, as the engine's flags take them: {@code 500ms}, {@code 2s},
 * {@code 10m}, {@code 1h}; digits alone are milliseconds.
 */
final class DurationConverter implements ITypeConverter<Duration>
{
    @Override
    public Duration convert(final String value)
    {
        return parse(value);
    }

    static Duration parse(final String value)
    {
        final String v = value.strip();
        int unitAt = 0;
        while (unitAt < v.length() && v.charAt(unitAt) >= '0' && v.charAt(unitAt) <= '9')
        {
            unitAt++;
        }
        if (unitAt == 0 || unitAt > 12)
        {
            throw new TypeConversionException("'" + value + "' is not a duration like 500ms, 2s, 10m or 1h");
        }
        final long amount = Long.parseLong(v.substring(0, unitAt));
        return switch (v.substring(unitAt))
        {
            case "", "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> throw new TypeConversionException("'" + value + "' is not a duration like 500ms, 2s, 10m or 1h");
        };
    }
}
