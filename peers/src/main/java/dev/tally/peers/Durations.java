package dev.tally.peers;

import java.time.Duration;

import picocli.CommandLine;

/** Flag values like {@code 200ms}, {@code 30s}, {@code 2m}, {@code 1h}; a bare number is milliseconds (as in tally run). */
public final class Durations implements CommandLine.ITypeConverter<Duration>
{
    @Override
    public Duration convert(final String value)
    {
        return parse(value);
    }

    /**
     * @param value e.g. {@code 30s}.
     * @return the duration.
     * @throws CommandLine.TypeConversionException if it is not a whole number with one of the units.
     */
    public static Duration parse(final String value)
    {
        final String v = value.trim();
        int unitAt = 0;
        while (unitAt < v.length() && Character.isDigit(v.charAt(unitAt)))
        {
            unitAt++;
        }
        if (unitAt == 0 || unitAt > 18)
        {
            throw new CommandLine.TypeConversionException("'" + value + "' is not a duration like 200ms, 30s, 2m or 1h");
        }
        final long amount = Long.parseLong(v.substring(0, unitAt));
        return switch (v.substring(unitAt))
        {
            case "", "ms" -> Duration.ofMillis(amount);
            case "s" -> Duration.ofSeconds(amount);
            case "m" -> Duration.ofMinutes(amount);
            case "h" -> Duration.ofHours(amount);
            default -> throw new CommandLine.TypeConversionException(
                "'" + value + "' is not a duration like 200ms, 30s, 2m or 1h");
        };
    }
}
