package dev.tally.chaos.demo;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import org.HdrHistogram.EncodableHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.HistogramLogReader;

/**
 * End-to-end latency over every engine process of the run: the engine writes one HdrHistogram interval log per
 * process start ({@code latency-<start>.hlog}, tagged interval histograms in milliseconds: total, emit_wait,
 * queue_wait, insert); this adds up all intervals of all logs in a folder, per tag. The last line of the log of an
 * engine that is still running may be half written; reading stops there. The first log (logs sort by start time)
 * is also kept apart: in the demo it is the engine before the kill, undisturbed by it.
 */
final class LatencyMerge
{
    static final List<String> PARTS = List.of("total", "emit_wait", "queue_wait", "insert");

    private final Map<String, Histogram> parts = histograms();
    private final Map<String, Histogram> first = histograms();
    private int logs;

    private LatencyMerge()
    {
    }

    private static Map<String, Histogram> histograms()
    {
        final Map<String, Histogram> map = new LinkedHashMap<>();
        for (final String part : PARTS)
        {
            map.put(part, new Histogram(3));
        }
        return map;
    }

    static LatencyMerge read(final Path dir) throws IOException
    {
        final LatencyMerge merge = new LatencyMerge();
        if (!Files.isDirectory(dir))
        {
            return merge;
        }
        try (Stream<Path> files = Files.list(dir))
        {
            for (final Path hlog : files.filter(f -> f.getFileName().toString().endsWith(".hlog")).sorted().toList())
            {
                merge.add(hlog);
            }
        }
        return merge;
    }

    private void add(final Path hlog) throws IOException
    {
        logs++;
        final HistogramLogReader reader = new HistogramLogReader(hlog.toFile());
        try
        {
            EncodableHistogram interval;
            while ((interval = reader.nextIntervalHistogram()) != null)
            {
                final Histogram sum = parts.get(interval.getTag());
                if (sum != null && interval instanceof Histogram h)
                {
                    sum.add(h);
                    if (logs == 1)
                    {
                        first.get(interval.getTag()).add(h);
                    }
                }
            }
        }
        catch (final RuntimeException e)
        {
            // the line the running engine is writing: everything before it is in
        }
        finally
        {
            reader.close();
        }
    }

    /** How many interval logs (engine process starts) were read. */
    int logs()
    {
        return logs;
    }

    /** One part over every log read. */
    Histogram part(final String name)
    {
        return parts.get(name);
    }

    /** One part of the first log only: the first engine process, up to the kill. */
    Histogram firstProcess(final String name)
    {
        return first.get(name);
    }

    /** Writes each part's percentile distribution ({@code .hgrm}, values in ms) into {@code dir}; returns total's. */
    Path writePercentiles(final Path dir) throws IOException
    {
        Files.createDirectories(dir);
        for (final Map.Entry<String, Histogram> e : parts.entrySet())
        {
            try (PrintStream ps = new PrintStream(Files.newOutputStream(dir.resolve("e2e-" + e.getKey() + ".hgrm")),
                false, StandardCharsets.UTF_8))
            {
                e.getValue().outputPercentileDistribution(ps, 5, 1.0);
            }
        }
        return dir.resolve("e2e-total.hgrm");
    }
}
