package dev.tally.chaos.plot;

import java.util.ArrayList;
import java.util.List;

/**
 * An x range to highlight behind the lines, e.g. the seconds a fault lasted. Written {@code FROM:TO} on the command
 * line, both plain numbers in the x column's unit.
 */
record Shade(double from, double to)
{
    Shade
    {
        if (!Double.isFinite(from) || !Double.isFinite(to) || from >= to)
        {
            throw new IllegalArgumentException("--shade " + from + ":" + to + ": FROM must be less than TO");
        }
    }

    /** Each element one {@code FROM:TO}; a bad one fails naming it. */
    static List<Shade> parseAll(final List<String> specs)
    {
        final List<Shade> shades = new ArrayList<>(specs.size());
        for (final String spec : specs)
        {
            shades.add(parse(spec));
        }
        return List.copyOf(shades);
    }

    static Shade parse(final String spec)
    {
        final int colon = spec.indexOf(':');
        if (colon < 0 || colon != spec.lastIndexOf(':'))
        {
            throw new IllegalArgumentException("--shade '" + spec + "' is not FROM:TO (e.g. 30:45)");
        }
        final double from = number(spec, spec.substring(0, colon));
        final double to = number(spec, spec.substring(colon + 1));
        if (from >= to)
        {
            throw new IllegalArgumentException("--shade '" + spec + "': FROM must be less than TO");
        }
        return new Shade(from, to);
    }

    private static double number(final String spec, final String text)
    {
        try
        {
            final double value = Double.parseDouble(text.strip());
            if (Double.isFinite(value))
            {
                return value;
            }
        }
        catch (final NumberFormatException ignored)
        {
            // reported below
        }
        throw new IllegalArgumentException("--shade '" + spec + "' is not FROM:TO with two numbers (e.g. 30:45)");
    }
}
