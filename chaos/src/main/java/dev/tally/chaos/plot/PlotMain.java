package dev.tally.chaos.plot;

import java.io.PrintStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;

import org.knowm.xchart.XYChart;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ./tally plot}: draws columns of a CSV file as a PNG line chart, for the pictures in {@code docs/} that the
 * perf scripts make. One chart per call: {@code --y} columns on the left axis, {@code --y2} columns (dashed) on a
 * right-hand one, {@code --shade} ranges of x highlighted (e.g. a fault window). Exit 0 when the PNG is written,
 * 2 on a bad flag or bad input (a missing file, an unknown column, a cell that is not a number), 1 when writing
 * failed.
 */
@Command(name = "plot", mixinStandardHelpOptions = true, sortOptions = false,
    description = "Draw columns of a CSV file (header line, numeric cells, empty cell = gap) as a PNG line chart.")
public final class PlotMain implements Callable<Integer>
{
    @Option(names = "--csv", required = true, paramLabel = "FILE", description = "The CSV file; its first line names " +
        "the columns.")
    Path csv;

    @Option(names = "--x", required = true, paramLabel = "COLUMN", description = "The x axis column, plain numbers " +
        "(e.g. seconds). Rows with it empty are skipped.")
    String x;

    @Option(names = "--y", required = true, split = ",", paramLabel = "COL", description = "Columns drawn as solid " +
        "lines on the left axis.")
    List<String> y = new ArrayList<>();

    @Option(names = "--y2", split = ",", paramLabel = "COL", description = "Columns drawn as dashed lines on a " +
        "second, right-hand axis.")
    List<String> y2 = new ArrayList<>();

    @Option(names = "--title", paramLabel = "T", description = "Title above the chart. Default: none.")
    String title;

    @Option(names = "--x-label", paramLabel = "L", description = "Title of the x axis. Default: the x column.")
    String xLabel;

    @Option(names = "--y-label", paramLabel = "L", description = "Title of the left axis. Default: its columns.")
    String yLabel;

    @Option(names = "--y2-label", paramLabel = "L", description = "Title of the right axis. Default: its columns.")
    String y2Label;

    @Option(names = "--shade", split = ",", paramLabel = "FROM:TO", description = "x ranges to highlight behind the " +
        "lines, e.g. 30:45 for a fault window.")
    List<String> shade = new ArrayList<>();

    @Option(names = "--shade-label", paramLabel = "TEXT", description = "Legend entry of the shaded ranges. " +
        "Default: shaded.")
    String shadeLabel;

    @Option(names = "--log-x", description = "Logarithmic x axis (for a parameter swept over decades).")
    boolean logX;

    @Option(names = "--log-y", description = "Logarithmic y axes.")
    boolean logY;

    @Option(names = "--points", description = "Mark every point (one per configuration of a sweep).")
    boolean points;

    @Option(names = "--width", paramLabel = "PX", description = "Width of the PNG in pixels. Default: ${DEFAULT-VALUE}.")
    int width = 1000;

    @Option(names = "--height", paramLabel = "PX", description = "Height of the PNG in pixels. Default: ${DEFAULT-VALUE}.")
    int height = 500;

    @Option(names = "--out", required = true, paramLabel = "FILE.png", description = "The PNG to write; its " +
        "directory is created if need be.")
    Path out;

    private PrintStream stdout = System.out;

    public static void main(final String[] args)
    {
        System.exit(run(System.out, System.err, args));
    }

    public static int run(final PrintStream out, final PrintStream err, final String... args)
    {
        // Before any AWT class loads: charts are drawn off screen, with or without a display.
        System.setProperty("java.awt.headless", "true");
        final PlotMain command = new PlotMain();
        command.stdout = out;
        final CommandLine cl = new CommandLine(command);
        cl.setOut(new PrintWriter(out, true));
        cl.setErr(new PrintWriter(err, true));
        cl.setParameterExceptionHandler((e, a) ->
        {
            err.println("tally plot: " + e.getMessage() + " (see ./tally plot --help)");
            return 2;
        });
        cl.setExecutionExceptionHandler((e, c, parsed) ->
        {
            if (e instanceof IllegalArgumentException)
            {
                err.println("tally plot: " + e.getMessage());
                return 2;
            }
            err.println("tally plot: failed: " + e);
            return 1;
        });
        return cl.execute(args);
    }

    @Override
    public Integer call() throws Exception
    {
        if (!out.getFileName().toString().toLowerCase(Locale.ROOT).endsWith(".png"))
        {
            throw new IllegalArgumentException("--out " + out + ": the file name must end in .png");
        }
        final PlotSpec spec = new PlotSpec(x, y, y2, title, xLabel, yLabel, y2Label, Shade.parseAll(shade),
            shadeLabel, width, height, new PlotSpec.Scales(logX, logY, points));
        final List<String> columns = new ArrayList<>(spec.y());
        columns.addAll(spec.y2());
        final CsvTable table = CsvTable.read(csv, spec.x(), columns);
        final XYChart chart = LineChart.build(table, spec);
        LineChart.writePng(chart, out);
        stdout.println("tally plot: wrote " + out + " (" + width + "x" + height + ", " + table.rows() + " rows, " +
            columns.size() + (columns.size() == 1 ? " series)" : " series)"));
        return 0;
    }
}
