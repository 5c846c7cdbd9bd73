package dev.tally.chaos.plot;

import java.io.BufferedReader;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The numeric columns of a CSV file that a plot asks for. The first line is the header; cells are comma separated
 * (no quoting); an empty cell, or {@code NaN}, is a missing value. Rows whose x cell is empty are skipped: there is
 * no place to draw them. Columns nobody asked for are not parsed, so a CSV may carry text columns too.
 * <p>
 * Bad input fails with an {@link IllegalArgumentException} whose message is one line naming the file, and where it
 * applies the line and column ({@code file:line:column}).
 */
final class CsvTable
{
    private final String file;
    private final Map<String, double[]> columns;
    private final int rows;

    private CsvTable(final String file, final Map<String, double[]> columns, final int rows)
    {
        this.file = file;
        this.columns = columns;
        this.rows = rows;
    }

    /**
     * Reads {@code wanted} (the x column first) from {@code path}.
     *
     * @throws IllegalArgumentException the file is missing or empty, a wanted column is not in the header, a row has
     *                                  the wrong number of cells, or a wanted cell is not a number
     * @throws IOException              the file could not be read
     */
    static CsvTable read(final Path path, final String xColumn, final Collection<String> wanted) throws IOException
    {
        final String file = path.toString();
        if (!Files.exists(path))
        {
            throw new IllegalArgumentException(file + ": no such file");
        }
        if (!Files.isRegularFile(path))
        {
            throw new IllegalArgumentException(file + ": not a regular file");
        }
        try (BufferedReader in = Files.newBufferedReader(path, StandardCharsets.UTF_8))
        {
            String line = in.readLine();
            if (line == null || line.isBlank())
            {
                throw new IllegalArgumentException(file + ": empty, expected a header line first");
            }
            if (line.startsWith("\uFEFF"))
            {
                line = line.substring(1);
            }
            final List<String> header = Arrays.stream(line.split(",", -1)).map(String::strip).toList();

            final Map<String, Integer> index = new LinkedHashMap<>();
            index.put(xColumn, columnIndex(file, header, xColumn));
            for (final String name : wanted)
            {
                index.putIfAbsent(name, columnIndex(file, header, name));
            }
            final String[] names = index.keySet().toArray(String[]::new);
            final int[] at = index.values().stream().mapToInt(Integer::intValue).toArray();

            double[][] values = new double[names.length][256];
            int rows = 0;
            int lineNo = 1;
            while ((line = in.readLine()) != null)
            {
                lineNo++;
                if (line.isBlank())
                {
                    continue;
                }
                final String[] cells = line.split(",", -1);
                if (cells.length != header.size())
                {
                    throw new IllegalArgumentException(file + ":" + lineNo + ": " + cells.length +
                        " cells, the header has " + header.size());
                }
                final double x = cell(file, lineNo, at[0], header, cells);
                if (Double.isNaN(x))
                {
                    continue;
                }
                if (rows == values[0].length)
                {
                    for (int c = 0; c < values.length; c++)
                    {
                        values[c] = Arrays.copyOf(values[c], rows * 2);
                    }
                }
                values[0][rows] = x;
                for (int c = 1; c < at.length; c++)
                {
                    values[c][rows] = cell(file, lineNo, at[c], header, cells);
                }
                rows++;
            }
            if (rows == 0)
            {
                throw new IllegalArgumentException(file + ": no data rows with a value in column '" + xColumn + "'");
            }
            final Map<String, double[]> columns = new LinkedHashMap<>();
            for (int c = 0; c < names.length; c++)
            {
                columns.put(names[c], Arrays.copyOf(values[c], rows));
            }
            return new CsvTable(file, columns, rows);
        }
    }

    private static int columnIndex(final String file, final List<String> header, final String name)
    {
        final int i = header.indexOf(name);
        if (i < 0)
        {
            throw new IllegalArgumentException(file + ": no column '" + name + "'; the columns are " +
                String.join(", ", header));
        }
        return i;
    }

    private static double cell(final String file, final int lineNo, final int column, final List<String> header,
                               final String[] cells)
    {
        final String text = cells[column].strip();
        if (text.isEmpty() || text.equalsIgnoreCase("nan"))
        {
            return Double.NaN;
        }
        try
        {
            final double value = Double.parseDouble(text);
            if (Double.isFinite(value))
            {
                return value;
            }
        }
        catch (final NumberFormatException ignored)
        {
            // reported below
        }
        throw new IllegalArgumentException(file + ":" + lineNo + ":" + (column + 1) + ": '" + text +
            "' in column '" + header.get(column) + "' is not a number");
    }

    /** The file as named on the command line, for messages. */
    String file()
    {
        return file;
    }

    /** Rows read, that is rows with an x value. */
    int rows()
    {
        return rows;
    }

    /** One column's values, row by row; {@code NaN} where the cell was empty. */
    double[] values(final String column)
    {
        final double[] v = columns.get(column);
        if (v == null)
        {
            throw new IllegalArgumentException(file + ": column '" + column + "' was not read");
        }
        return v.clone();
    }
}
