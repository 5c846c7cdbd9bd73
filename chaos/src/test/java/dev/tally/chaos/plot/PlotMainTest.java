package dev.tally.chaos.plot;

import java.awt.Color;
import java.awt.image.BufferedImage;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import javax.imageio.ImageIO;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * {@code ./tally plot} end to end: a small CSV in, a PNG out, read back with ImageIO and checked pixel by pixel for
 * the series' colours (above the legend, so a legend entry alone does not count as a drawn line).
 */
class PlotMainTest
{
    private static final int WIDTH = 640;
    private static final int HEIGHT = 360;
    /** A drawn line across the plot leaves hundreds of pixels of its colour; a legend line is below the cut. */
    private static final int DRAWN = 150;

    private final ByteArrayOutputStream out = new ByteArrayOutputStream();
    private final ByteArrayOutputStream err = new ByteArrayOutputStream();

    @TempDir
    Path dir;

    @Test
    void drawsEachColumnInItsColourAtTheRequestedSize() throws IOException
    {
        final StringBuilder csv = new StringBuilder("t_s,rate,lag\n");
        for (int t = 0; t <= 20; t++)
        {
            csv.append(t).append(',').append(100 + 10 * Math.sin(t / 3.0)).append(',').append(t * 4).append('\n');
        }
        final Path png = dir.resolve("out").resolve("chart.png");
        assertThat(run("--csv", write(csv), "--x", "t_s", "--y", "rate,lag", "--title", "two lines",
            "--shade", "5:8,12:14", "--shade-label", "ClickHouse stalled",
            "--width", "" + WIDTH, "--height", "" + HEIGHT, "--out", png.toString())).as(errText()).isZero();
        assertThat(errText()).isEmpty();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("wrote", "chart.png");

        final BufferedImage image = ImageIO.read(png.toFile());
        assertThat(image.getWidth()).isEqualTo(WIDTH);
        assertThat(image.getHeight()).isEqualTo(HEIGHT);
        assertThat(pixels(image, seriesColour(0))).as("rate drawn").isGreaterThan(DRAWN);
        assertThat(pixels(image, seriesColour(1))).as("lag drawn").isGreaterThan(DRAWN);
        assertThat(pixels(image, seriesColour(2))).as("no third series, so none of its colour").isLessThan(5);
        assertThat(pixels(image, onWhite(LineChart.SHADE_COLOUR))).as("shaded ranges").isGreaterThan(1_000);
    }

    @Test
    void y2ColumnsGetARightHandAxisOfTheirOwn() throws IOException
    {
        // Millions on the right, single digits on the left: on one shared axis the left line would be flat.
        final StringBuilder csv = new StringBuilder("t,small,big\n");
        for (int t = 0; t <= 20; t++)
        {
            csv.append(t).append(',').append(t % 5).append(',').append(1_000_000 + t * 50_000).append('\n');
        }
        final Path file = Path.of(write(csv));
        final Path png = dir.resolve("y2.png");
        assertThat(run("--csv", file.toString(), "--x", "t", "--y", "small", "--y2", "big", "--y2-label", "bytes",
            "--width", "" + WIDTH, "--height", "" + HEIGHT, "--out", png.toString())).as(errText()).isZero();

        final BufferedImage image = ImageIO.read(png.toFile());
        assertThat(pixels(image, seriesColour(1))).as("big drawn (dashed)").isGreaterThan(DRAWN / 2);
        assertThat(rowSpan(image, seriesColour(0))).as("small spans its own axis, not squashed flat")
            .isGreaterThan(HEIGHT / 3);

        final XYChart chart = LineChart.build(CsvTable.read(file, "t", List.of("small", "big")),
            new PlotSpec("t", List.of("small"), List.of("big"), null, null, null, "bytes", List.of(), null,
                WIDTH, HEIGHT, null));
        assertThat(chart.getSeriesMap().values()).extracting(XYSeries::getLabel, XYSeries::getYAxisGroup)
            .containsExactly(org.assertj.core.groups.Tuple.tuple("small", 0),
                org.assertj.core.groups.Tuple.tuple("big (right)", 1));
        assertThat(chart.getYAxisGroupTitle(1)).isEqualTo("bytes");
    }

    @Test
    void sweepsGetLogarithmicAxesAndMarkedPoints() throws IOException
    {
        final String file = write("batch_rows,throughput,p99\n1000,50000,2.5\n10000,200000,1.5\n100000,400000,1.7\n" +
            "1000000,420000,6\n");
        final Path png = dir.resolve("sweep.png");
        assertThat(run("--csv", file, "--x", "batch_rows", "--y", "throughput", "--y2", "p99", "--log-x", "--points",
            "--width", "" + WIDTH, "--height", "" + HEIGHT, "--out", png.toString())).as(errText()).isZero();
        assertThat(pixels(ImageIO.read(png.toFile()), seriesColour(0))).as("throughput drawn").isGreaterThan(DRAWN);

        final XYChart chart = LineChart.build(CsvTable.read(Path.of(file), "batch_rows", List.of("throughput", "p99")),
            new PlotSpec("batch_rows", List.of("throughput"), List.of("p99"), null, null, null, null, List.of(), null,
                WIDTH, HEIGHT, new PlotSpec.Scales(true, false, true)));
        assertThat(chart.getStyler().isXAxisLogarithmic()).isTrue();
        assertThat(chart.getStyler().isYAxisLogarithmic()).isFalse();
        assertThat(chart.getSeriesMap().values()).extracting(XYSeries::getMarker).doesNotContainNull()
            .doesNotContain(org.knowm.xchart.style.markers.SeriesMarkers.NONE);

        final String zero = write("x,y\n0,1\n10,2\n");
        assertThat(run("--csv", zero, "--x", "x", "--y", "y", "--log-x", "--out", dir.resolve("z.png").toString()))
            .as("a zero on a logarithmic axis").isEqualTo(2);
        assertThat(errText()).startsWith("tally plot: ").doesNotContain("\tat ");
    }

    @Test
    void emptyCellsAreGapsInTheLine() throws IOException
    {
        // 'gappy' has nothing from t=8 to t=12 (empty cells and NaN); 'full' is complete; 'note' is text, unused;
        // the row with no t is skipped.
        final StringBuilder csv = new StringBuilder("t,gappy,full,note\n");
        for (int t = 0; t <= 20; t++)
        {
            final String gappy = t >= 8 && t <= 12 ? (t == 10 ? "NaN" : "") : "" + (5 + t % 3);
            csv.append(t).append(',').append(gappy).append(',').append(t).append(",phase ").append(t / 7).append('\n');
            if (t == 3)
            {
                csv.append(",99,99,no time\n");
            }
        }
        final Path png = dir.resolve("gaps.png");
        assertThat(run("--csv", write(csv), "--x", "t", "--y", "gappy,full", "--width", "" + WIDTH,
            "--height", "" + HEIGHT, "--out", png.toString())).as(errText()).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("21 rows");

        final BufferedImage image = ImageIO.read(png.toFile());
        final int plotWidth = columnSpan(image, seriesColour(1));
        assertThat(plotWidth).as("full spans the plot").isGreaterThan(WIDTH / 2);
        assertThat(widestHole(image, seriesColour(1))).as("full has no hole").isLessThan(3);
        // 6 of 20 x units have no line (7..8 and 12..13 lose their segment too): well over a fifth of the width.
        assertThat(widestHole(image, seriesColour(0))).as("gappy has a hole").isGreaterThan(plotWidth / 5);
    }

    @Test
    void badInputIsOneLineAndExitTwo() throws IOException
    {
        final String csv = write(new StringBuilder("t,lag,rate\n0,1,2\n1,x1,3\n"));
        final String png = dir.resolve("bad.png").toString();

        assertThat(run("--csv", csv, "--x", "t", "--y", "lagg", "--out", png)).isEqualTo(2);
        assertThat(run("--csv", csv, "--x", "t", "--y", "lag", "--out", png)).isEqualTo(2);
        assertThat(run("--csv", dir.resolve("missing.csv").toString(), "--x", "t", "--y", "lag", "--out", png))
            .isEqualTo(2);
        assertThat(run("--csv", csv, "--x", "t", "--y", "rate", "--shade", "5-8", "--out", png)).isEqualTo(2);
        assertThat(run("--csv", csv, "--x", "t", "--y", "rate")).isEqualTo(2);

        final List<String> lines = errText().lines().toList();
        assertThat(lines).hasSize(5).allMatch(l -> l.startsWith("tally plot: "));
        assertThat(lines.get(0)).contains(csv, "no column 'lagg'", "the columns are t, lag, rate");
        assertThat(lines.get(1)).contains(csv + ":3:2:", "'x1'", "column 'lag'", "not a number");
        assertThat(lines.get(2)).contains("missing.csv", "no such file");
        assertThat(lines.get(3)).contains("--shade '5-8'", "FROM:TO");
        assertThat(lines.get(4)).contains("--out");
        assertThat(Path.of(png)).doesNotExist();
    }

    @Test
    void helpExitsZero()
    {
        assertThat(run("--help")).isZero();
        assertThat(out.toString(StandardCharsets.UTF_8)).contains("--csv", "--y2", "--shade", "--out");
    }

    private int run(final String... args)
    {
        return PlotMain.run(new PrintStream(out, true, StandardCharsets.UTF_8),
            new PrintStream(err, true, StandardCharsets.UTF_8), args);
    }

    private String errText()
    {
        return err.toString(StandardCharsets.UTF_8);
    }

    private String write(final CharSequence csv) throws IOException
    {
        return Files.writeString(Files.createTempFile(dir, "data", ".csv"), csv).toString();
    }

    private static Color seriesColour(final int i)
    {
        return LineChart.SERIES_COLOURS.get(i);
    }

    /** A translucent colour as it shows over the white plot background. */
    private static Color onWhite(final Color c)
    {
        final double a = c.getAlpha() / 255.0;
        return new Color((int) Math.round(255 * (1 - a) + c.getRed() * a),
            (int) Math.round(255 * (1 - a) + c.getGreen() * a), (int) Math.round(255 * (1 - a) + c.getBlue() * a));
    }

    /** Pixels of about colour {@code c} above the legend (the bottom 15 % of the picture). */
    private static int pixels(final BufferedImage image, final Color c)
    {
        int n = 0;
        for (int y = 0; y < aboveLegend(image); y++)
        {
            for (int x = 0; x < image.getWidth(); x++)
            {
                n += near(image.getRGB(x, y), c) ? 1 : 0;
            }
        }
        return n;
    }

    /** Rows from the highest to the lowest pixel of colour {@code c} above the legend. */
    private static int rowSpan(final BufferedImage image, final Color c)
    {
        int top = Integer.MAX_VALUE;
        int bottom = -1;
        for (int y = 0; y < aboveLegend(image); y++)
        {
            for (int x = 0; x < image.getWidth(); x++)
            {
                if (near(image.getRGB(x, y), c))
                {
                    top = Math.min(top, y);
                    bottom = Math.max(bottom, y);
                }
            }
        }
        return bottom < 0 ? 0 : bottom - top + 1;
    }

    private static List<Integer> columnsWith(final BufferedImage image, final Color c)
    {
        final List<Integer> columns = new ArrayList<>();
        for (int x = 0; x < image.getWidth(); x++)
        {
            for (int y = 0; y < aboveLegend(image); y++)
            {
                if (near(image.getRGB(x, y), c))
                {
                    columns.add(x);
                    break;
                }
            }
        }
        return columns;
    }

    private static int columnSpan(final BufferedImage image, final Color c)
    {
        final List<Integer> columns = columnsWith(image, c);
        return columns.isEmpty() ? 0 : columns.getLast() - columns.getFirst() + 1;
    }

    /** The most pixel columns in a row without colour {@code c} between its first and last column. */
    private static int widestHole(final BufferedImage image, final Color c)
    {
        final List<Integer> columns = columnsWith(image, c);
        int widest = 0;
        for (int i = 1; i < columns.size(); i++)
        {
            widest = Math.max(widest, columns.get(i) - columns.get(i - 1) - 1);
        }
        return widest;
    }

    private static int aboveLegend(final BufferedImage image)
    {
        return image.getHeight() * 85 / 100;
    }

    private static boolean near(final int rgb, final Color c)
    {
        final Color p = new Color(rgb);
        return Math.abs(p.getRed() - c.getRed()) + Math.abs(p.getGreen() - c.getGreen()) +
            Math.abs(p.getBlue() - c.getBlue()) <= 30;
    }
}
