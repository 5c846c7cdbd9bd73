package dev.tally.engine.report;

import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;

import dev.tally.engine.latency.LatencyRecorders;

import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogWriter;

/**
 * The latency files of one engine process in its directory: an HdrHistogram interval log
 * ({@code latency-<start>.hlog}, one tagged interval histogram per part and second, values in milliseconds) that
 * HdrHistogram's plotting and log-processing tools read, and one percentile distribution per part
 * ({@code e2e-<part>.hgrm}, since the process started), rewritten every few seconds and at close.
 */
final class LatencyLog implements AutoCloseable
{
    private static final DateTimeFormatter STAMP =
        DateTimeFormatter.ofPattern("yyyyMMdd-HHmmss").withZone(ZoneOffset.UTC);

    private final Path dir;
    private final Path hlog;
    private final PrintStream out;
    private final HistogramLogWriter writer;

    LatencyLog(final Path dir, final long startMs)
    {
        this.dir = dir;
        try
        {
            Files.createDirectories(dir);
            this.hlog = dir.resolve("latency-" + STAMP.format(Instant.ofEpochMilli(startMs)) + ".hlog");
            this.out = new PrintStream(Files.newOutputStream(hlog), false, StandardCharsets.UTF_8);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot write latency files to " + dir, e);
        }
        writer = new HistogramLogWriter(out);
        writer.outputComment("tally end-to-end latency, values in milliseconds; tags: total, emit_wait, queue_wait, insert");
        writer.outputLogFormatVersion();
        writer.outputStartTime(startMs);
        writer.setBaseTime(startMs);
        writer.outputLegend();
        out.flush();
    }

    Path hlog()
    {
        return hlog;
    }

    Path hgrm(final int part)
    {
        return dir.resolve("e2e-" + LatencyRecorders.PARTS[part] + ".hgrm");
    }

    /** One interval histogram (its start and end timestamps set), tagged with its part. */
    void interval(final int part, final Histogram interval)
    {
        interval.setTag(LatencyRecorders.PARTS[part]);
        writer.outputIntervalHistogram(interval.getStartTimeStamp() / 1000.0, interval.getEndTimeStamp() / 1000.0,
            interval, 1.0);
    }

    void flush()
    {
        out.flush();
    }

    /** Rewrites the percentile distribution of {@code part} (written aside, then moved over the old one). */
    void percentiles(final int part, final Histogram cumulative)
    {
        final Path target = hgrm(part);
        final Path tmp = target.resolveSibling(target.getFileName() + ".tmp");
        try (PrintStream ps = new PrintStream(Files.newOutputStream(tmp), false, StandardCharsets.UTF_8))
        {
            cumulative.outputPercentileDistribution(ps, 5, 1.0);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot write " + tmp, e);
        }
        try
        {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        }
        catch (final IOException e)
        {
            throw new UncheckedIOException("cannot write " + target, e);
        }
    }

    @Override
    public void close()
    {
        out.close();
    }
}
