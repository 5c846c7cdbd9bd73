package dev.tally.engine.report;

import java.util.Locale;

/**
 * The last {@link #CAPACITY} one-second samples the dashboard draws, as columns. Written by the reporter thread,
 * read by the HTTP thread; both hold the lock briefly (once a second and once a request, never on a hot path).
 */
public final class Series
{
    public static final int CAPACITY = 900;
    /** Column names, also the JSON keys the dashboard reads. */
    public static final String[] COLUMNS = {"records_per_s", "rows_inserted_per_s", "lag_records", "e2e_p50_ms",
        "e2e_p99_ms", "e2e_p999_ms", "batch_rows", "heap_used_mb", "heap_max_mb", "paused_partitions"};

    private final long[] time = new long[CAPACITY];
    private final double[][] values = new double[COLUMNS.length][CAPACITY];
    private int next;
    private int size;
    private String status = "";

    /** Appends a sample; {@code row} holds one value per column (NaN: no data). */
    public synchronized void add(final long timeMs, final double[] row, final String statusLine)
    {
        time[next] = timeMs;
        for (int c = 0; c < COLUMNS.length; c++)
        {
            values[c][next] = row[c];
        }
        next = (next + 1) % CAPACITY;
        size = Math.min(size + 1, CAPACITY);
        status = statusLine;
    }

    public synchronized int size()
    {
        return size;
    }

    /** The series as the dashboard's JSON: {@code {"intervalMs":1000,"t":[...],"series":{...},"status":"..."}}. */
    public synchronized String json()
    {
        final StringBuilder sb = new StringBuilder(64 + size * (COLUMNS.length + 1) * 12);
        sb.append("{\"intervalMs\":1000,\"t\":[");
        final int first = (next - size + CAPACITY) % CAPACITY;
        for (int i = 0; i < size; i++)
        {
            sb.append(i == 0 ? "" : ",").append(time[(first + i) % CAPACITY]);
        }
        sb.append("],\"series\":{");
        for (int c = 0; c < COLUMNS.length; c++)
        {
            sb.append(c == 0 ? "" : ",").append('"').append(COLUMNS[c]).append("\":[");
            for (int i = 0; i < size; i++)
            {
                final double v = values[c][(first + i) % CAPACITY];
                sb.append(i == 0 ? "" : ",");
                if (Double.isNaN(v) || Double.isInfinite(v))
                {
                    sb.append("null");
                }
                else
                {
                    sb.append(String.format(Locale.ROOT, "%.3f", v));
                }
            }
            sb.append(']');
        }
        sb.append("},\"status\":\"").append(escape(status)).append("\"}");
        return sb.toString();
    }

    private static String escape(final String s)
    {
        final StringBuilder sb = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++)
        {
            final char ch = s.charAt(i);
            switch (ch)
            {
                case '"' -> sb.append("\\\"");
                case '\\' -> sb.append("\\\\");
                default ->
                {
                    if (ch < 0x20)
                    {
                        sb.append(String.format(Locale.ROOT, "\\u%04x", (int)ch));
                    }
                    else
                    {
                        sb.append(ch);
                    }
                }
            }
        }
        return sb.toString();
    }
}
