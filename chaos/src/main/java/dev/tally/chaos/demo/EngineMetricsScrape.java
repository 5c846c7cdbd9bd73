package dev.tally.chaos.demo;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;

/**
 * One scrape of an engine's Prometheus {@code /metrics}: every sample by its series (name and labels as printed,
 * e.g. {@code tally_insert_batch_rows_bucket{le="1000.0"}}).
 */
final class EngineMetricsScrape
{
    private static final HttpClient HTTP = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(2))
        .version(HttpClient.Version.HTTP_1_1).build();
    static final String BATCH_ROWS = "tally_insert_batch_rows";

    private final Map<String, Double> samples;

    EngineMetricsScrape(final Map<String, Double> samples)
    {
        this.samples = samples;
    }

    /** The engine's metrics, or empty while it does not answer (starting, killed). */
    static Optional<EngineMetricsScrape> of(final String metricsUrl)
    {
        try
        {
            final HttpResponse<String> response = HTTP.send(HttpRequest.newBuilder(URI.create(metricsUrl))
                .timeout(Duration.ofSeconds(5)).GET().build(), HttpResponse.BodyHandlers.ofString());
            return response.statusCode() == 200 ? Optional.of(parse(response.body())) : Optional.empty();
        }
        catch (final IOException e)
        {
            return Optional.empty();
        }
        catch (final InterruptedException e)
        {
            Thread.currentThread().interrupt();
            return Optional.empty();
        }
    }

    static EngineMetricsScrape parse(final String text)
    {
        final Map<String, Double> samples = new LinkedHashMap<>();
        for (final String line : text.split("\n"))
        {
            final int space = line.lastIndexOf(' ');
            if (line.isBlank() || line.startsWith("#") || space < 0)
            {
                continue;
            }
            try
            {
                samples.put(line.substring(0, space).strip(), Double.parseDouble(line.substring(space + 1).strip()));
            }
            catch (final NumberFormatException e)
            {
                // a timestamp or an exemplar after the value: not written by the engine; skip the line
            }
        }
        return new EngineMetricsScrape(samples);
    }

    /** The sample of one series, 0 when it is absent. */
    double value(final String series)
    {
        return samples.getOrDefault(series, 0.0);
    }

    long count(final String series)
    {
        return (long)value(series);
    }

    /** The sum over every series of metric {@code name} (all label values). */
    double sum(final String name)
    {
        double total = 0;
        for (final Map.Entry<String, Double> e : samples.entrySet())
        {
            if (e.getKey().equals(name) || e.getKey().startsWith(name + "{"))
            {
                total += e.getValue();
            }
        }
        return total;
    }

    /** True when metric {@code name} has at least one series (e.g. lag: only once partitions are assigned). */
    boolean has(final String name)
    {
        return samples.keySet().stream().anyMatch(k -> k.equals(name) || k.startsWith(name + "{"));
    }

    /** One quantile of the engine's last-10-s latency gauge in seconds, NaN when there is none yet. */
    double latencySeconds(final String part, final String quantile)
    {
        return samples.getOrDefault("tally_e2e_latency_seconds{part=\"" + part + "\",quantile=\"" + quantile + "\"}",
            Double.NaN);
    }

    /** A classic histogram's cumulative bucket counts by upper bound (+Inf as infinity). */
    TreeMap<Double, Long> buckets(final String histogram)
    {
        final TreeMap<Double, Long> buckets = new TreeMap<>();
        final String prefix = histogram + "_bucket{le=\"";
        for (final Map.Entry<String, Double> e : samples.entrySet())
        {
            if (e.getKey().startsWith(prefix))
            {
                final String le = e.getKey().substring(prefix.length(), e.getKey().indexOf('"', prefix.length()));
                buckets.put(le.equals("+Inf") ? Double.POSITIVE_INFINITY : Double.parseDouble(le),
                    e.getValue().longValue());
            }
        }
        return buckets;
    }
}
