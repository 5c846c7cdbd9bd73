package dev.tally.engine.backfill;

import java.time.Instant;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.format.DateTimeParseException;

import picocli.CommandLine;

/** A point in time for {@code --from}/{@code --to}: ISO-8601 (UTC when no offset is given) or epoch milliseconds. */
public final class Instants implements CommandLine.ITypeConverter<Long>
{
    @Override
    public Long convert(final String value)
    {
        return parse(value);
    }

    /** Epoch milliseconds of {@code value}: 2026-11-21T10:00:00Z, 2026-11-21T10:00 (UTC) or 1795255200000. */
    public static long parse(final String value)
    {
        final String v = value.trim();
        if (v.matches("\\d{9,}"))
        {
            return Long.parseLong(v);
        }
        try
        {
            return Instant.parse(v).toEpochMilli();
        }
        catch (final DateTimeParseException e)
        {
            try
            {
                return LocalDateTime.parse(v).toInstant(ZoneOffset.UTC).toEpochMilli();
            }
            catch (final DateTimeParseException e2)
            {
                throw new CommandLine.TypeConversionException("'" + value + "' is not a time: use ISO-8601 such as " +
                    "2026-11-21T10:00:00Z (UTC when no offset is given) or epoch milliseconds");
            }
        }
    }
}
