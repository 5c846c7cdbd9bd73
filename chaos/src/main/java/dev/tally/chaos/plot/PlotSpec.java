package dev.tally.chaos.plot;

import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What to draw: which columns on which axis, the labels, the shaded x ranges and the picture's size. Labels left
 * {@code null} get a default ({@link #xLabel()} the x column; {@link #yLabel()} and {@link #y2Label()} the
 * columns on that axis; no title).
 */
record PlotSpec(String x, List<String> y, List<String> y2, String title, String xLabel, String yLabel,
                String y2Label, List<Shade> shades, String shadeLabel, int width, int height, Scales scales)
{
    /**
     * Axis scales and point markers, for sweeps (a parameter over decades on x, one point per configuration).
     *
     * @param logX   logarithmic x axis.
     * @param logY   logarithmic y axes.
     * @param points a marker on every point, not only lines.
     */
    record Scales(boolean logX, boolean logY, boolean points)
    {
        /** Linear axes, lines only: time series. */
        static final Scales LINEAR = new Scales(false, false, false);
    }

    static final int MAX_SIDE = 10_000;

    PlotSpec
    {
        y = List.copyOf(y);
        y2 = List.copyOf(y2);
        shades = List.copyOf(shades);
        if (y.isEmpty())
        {
            throw new IllegalArgumentException("--y needs at least one column");
        }
        final Set<String> seen = new HashSet<>();
        for (final String column : y)
        {
            if (!seen.add(column))
            {
                throw new IllegalArgumentException("column '" + column + "' is listed twice in --y");
            }
        }
        seen.clear();
        for (final String column : y2)
        {
            if (!seen.add(column))
            {
                throw new IllegalArgumentException("column '" + column + "' is listed twice in --y2");
            }
        }
        if (width < 100 || width > MAX_SIDE || height < 100 || height > MAX_SIDE)
        {
            throw new IllegalArgumentException("--width and --height must be between 100 and " + MAX_SIDE +
                " pixels, not " + width + "x" + height);
        }
        xLabel = xLabel != null ? xLabel : x;
        yLabel = yLabel != null ? yLabel : String.join(", ", y);
        y2Label = y2Label != null ? y2Label : String.join(", ", y2);
        shadeLabel = shadeLabel != null ? shadeLabel : "shaded";
        scales = scales != null ? scales : Scales.LINEAR;
    }
}
