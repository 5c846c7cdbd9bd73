package dev.tally.chaos.plot;

import java.awt.BasicStroke;
import java.awt.Color;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.BitmapEncoder.BitmapFormat;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.XYSeries.XYSeriesRenderStyle;
import org.knowm.xchart.style.Styler.LegendLayout;
import org.knowm.xchart.style.Styler.LegendPosition;
import org.knowm.xchart.style.Styler.YAxisPosition;
import org.knowm.xchart.style.XYStyler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * Builds the XChart line chart of a {@link PlotSpec} from a {@link CsvTable} and writes it as a PNG.
 * <p>
 * Series take {@link #SERIES_COLOURS} in order, {@code --y} first: solid lines on the left axis, then dashed lines on
 * the right one. A missing value breaks the line. Shaded x ranges are translucent areas spanning the left axis'
 * data range, added before the lines so the lines stay on top; the first carries the shade label in the legend.
 */
final class LineChart
{
    /** Distinct on white and from each other; none is red, which the shades use. */
    static final List<Color> SERIES_COLOURS = List.of(
        new Color(0x1F, 0x77, 0xB4), // blue
        new Color(0xE6, 0x7E, 0x00), // orange
        new Color(0x2C, 0xA0, 0x2C), // green
        new Color(0x75, 0x4F, 0xB3), // purple
        new Color(0x17, 0xBE, 0xCF), // cyan
        new Color(0x8C, 0x56, 0x4B), // brown
        new Color(0xE3, 0x77, 0xC2), // pink
        new Color(0x55, 0x55, 0x55)); // grey

    /** Fill of the shaded x ranges. */
    static final Color SHADE_COLOUR = new Color(220, 40, 40, 48);

    private static final Color TRANSPARENT = new Color(0, 0, 0, 0);
    private static final BasicStroke SOLID = new BasicStroke(2f, BasicStroke.CAP_ROUND, BasicStroke.JOIN_ROUND);
    private static final BasicStroke DASHED = new BasicStroke(2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
        new float[] {9f, 5f}, 0f);

    private LineChart()
    {
    }

    static XYChart build(final CsvTable table, final PlotSpec spec)
    {
        final XYChart chart = new XYChartBuilder().width(spec.width()).height(spec.height())
            .title(spec.title() != null ? spec.title() : "")
            .xAxisTitle(spec.xLabel()).yAxisTitle(spec.yLabel()).build();
        style(chart.getStyler(), spec);

        final double[] x = table.values(spec.x());
        if (!spec.shades().isEmpty())
        {
            addShades(chart, table, spec);
        }
        int colour = 0;
        for (final String column : spec.y())
        {
            addLine(chart, "y:" + column, column, x, values(table, column), 0, colour++, SOLID, spec);
        }
        if (!spec.y2().isEmpty())
        {
            chart.setYAxisGroupTitle(1, spec.y2Label());
            for (final String column : spec.y2())
            {
                addLine(chart, "y2:" + column, column + " (right)", x, values(table, column), 1, colour++, DASHED, spec);
            }
        }
        return chart;
    }

    /** Writes {@code chart} to {@code out} as a PNG of the chart's size, creating the directory if need be. */
    static void writePng(final XYChart chart, final Path out) throws IOException
    {
        final Path dir = out.toAbsolutePath().getParent();
        if (dir != null)
        {
            Files.createDirectories(dir);
        }
        try (OutputStream stream = Files.newOutputStream(out))
        {
            BitmapEncoder.saveBitmap(chart, stream, BitmapFormat.PNG);
        }
    }

    private static void style(final XYStyler styler, final PlotSpec spec)
    {
        styler.setChartTitleVisible(spec.title() != null && !spec.title().isBlank());
        styler.setChartBackgroundColor(Color.WHITE);
        styler.setPlotBackgroundColor(Color.WHITE);
        styler.setPlotBorderColor(new Color(0xBB, 0xBB, 0xBB));
        styler.setPlotGridLinesColor(new Color(0xE4, 0xE4, 0xE4));
        styler.setLegendPosition(LegendPosition.OutsideS);
        styler.setLegendLayout(LegendLayout.Horizontal);
        styler.setLegendBorderColor(Color.WHITE);
        styler.setLegendSeriesLineLength(28);
        styler.setMarkerSize(spec.scales().points() ? 8 : 0);
        styler.setXAxisLogarithmic(spec.scales().logX());
        styler.setYAxisLogarithmic(spec.scales().logY());
        styler.setAntiAlias(true);
        styler.setYAxisGroupPosition(1, YAxisPosition.Right);
    }

    private static double[] values(final CsvTable table, final String column)
    {
        final double[] v = table.values(column);
        for (final double d : v)
        {
            if (!Double.isNaN(d))
            {
                return v;
            }
        }
        throw new IllegalArgumentException(table.file() + ": column '" + column + "' has no values");
    }

    private static void addLine(final XYChart chart, final String name, final String label, final double[] x,
                                final double[] y, final int axis, final int colour, final BasicStroke stroke,
                                final PlotSpec spec)
    {
        final XYSeries series = chart.addSeries(name, x, y);
        series.setXYSeriesRenderStyle(XYSeriesRenderStyle.Line);
        series.setLabel(label);
        series.setYAxisGroup(axis);
        series.setMarker(spec.scales().points() ? (axis == 0 ? SeriesMarkers.CIRCLE : SeriesMarkers.DIAMOND) :
            SeriesMarkers.NONE);
        series.setMarkerColor(SERIES_COLOURS.get(colour % SERIES_COLOURS.size()));
        series.setLineColor(SERIES_COLOURS.get(colour % SERIES_COLOURS.size()));
        series.setLineStyle(stroke);
    }

    /** One translucent rectangle per range, from the lowest to the highest value drawn on the left axis. */
    private static void addShades(final XYChart chart, final CsvTable table, final PlotSpec spec)
    {
        double low = Double.POSITIVE_INFINITY;
        double high = Double.NEGATIVE_INFINITY;
        for (final String column : spec.y())
        {
            for (final double v : table.values(column))
            {
                if (!Double.isNaN(v))
                {
                    low = Math.min(low, v);
                    high = Math.max(high, v);
                }
            }
        }
        if (low > high)
        {
            return; // no values at all: values() reports the column
        }
        int i = 0;
        for (final Shade shade : spec.shades())
        {
            final XYSeries series = chart.addSeries("shade:" + i,
                new double[] {shade.from(), shade.from(), shade.to(), shade.to()},
                new double[] {low, high, high, low});
            series.setXYSeriesRenderStyle(XYSeriesRenderStyle.PolygonArea);
            series.setLabel(spec.shadeLabel());
            series.setShowInLegend(i == 0);
            series.setMarker(SeriesMarkers.NONE);
            series.setFillColor(SHADE_COLOUR);
            series.setLineColor(TRANSPARENT);
            series.setYAxisGroup(0);
            i++;
        }
    }
}
