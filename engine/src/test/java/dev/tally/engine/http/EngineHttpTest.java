package dev.tally.engine.http;

import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;

import dev.tally.engine.EngineCounters;
import dev.tally.engine.latency.LatencyRecorders;
import dev.tally.engine.report.Reporter;
import dev.tally.engine.report.Series;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

final class EngineHttpTest
{
    @Test
    void servesMetricsTheDashboardAndItsSeriesOnLoopback() throws Exception
    {
        final EngineCounters counters = new EngineCounters();
        EngineCounters.add(counters.recordsIn, 1234);
        EngineCounters.add(counters.late, 7);
        counters.lag.set(3, 42);
        counters.pausedPartitions.set(2);
        final Series series = new Series();
        final Reporter reporter = new Reporter(counters, new LatencyRecorders(), series, null, () -> 1, () -> 99);
        final EngineMetrics metrics = new EngineMetrics();
        metrics.bind(counters, reporter, () -> 0.5, () -> 0.25, () -> 3);
        metrics.onInsert(5000, 20_000_000);
        series.add(1_767_225_600_000L, new double[] {1, 2, 3, Double.NaN, 5, 6, 7, 8, 9, 10}, "status \"quoted\"");

        try (EngineHttp http = EngineHttp.start(new InetSocketAddress("127.0.0.1", 0), metrics.registry(), series))
        {
            assertThat(http.host()).isEqualTo("127.0.0.1");
            final HttpClient client = HttpClient.newBuilder().followRedirects(HttpClient.Redirect.NEVER).build();
            final String base = "http://127.0.0.1:" + http.port();

            final HttpResponse<String> m = client.send(HttpRequest.newBuilder(URI.create(base + "/metrics")).build(),
                HttpResponse.BodyHandlers.ofString());
            assertThat(m.statusCode()).isEqualTo(200);
            assertThat(m.body())
                .contains("tally_records_consumed_total 1234.0")
                .contains("tally_side_output_total{reason=\"late\"} 7.0")
                .contains("tally_kafka_lag_records{partition=\"3\"} 42.0")
                .doesNotContain("tally_kafka_lag_records{partition=\"0\"}")
                .contains("tally_paused_partitions 2.0")
                .contains("tally_ring_occupancy_ratio{ring=\"records\"} 0.5")
                .contains("tally_insert_batch_rows_count 1")
                .contains("tally_insert_duration_seconds_sum 0.02")
                .contains("tally_journal_resent_batches_total 3.0")
                .contains("tally_window_live_rows 99.0")
                .contains("tally_e2e_latency_seconds{part=\"total\",quantile=\"0.99\"} NaN")
                .contains("jvm_memory_used_bytes{area=\"heap\"}");

            final HttpResponse<String> s = client.send(HttpRequest.newBuilder(URI.create(base + "/api/series")).build(),
                HttpResponse.BodyHandlers.ofString());
            assertThat(s.body()).startsWith("{\"intervalMs\":1000,\"t\":[1767225600000],")
                .contains("\"e2e_p50_ms\":[null]").contains("\"heap_max_mb\":[9.000]")
                .endsWith("\"status\":\"status \\\"quoted\\\"\"}");

            final HttpResponse<byte[]> d = client.send(HttpRequest.newBuilder(URI.create(base + "/dashboard")).build(),
                HttpResponse.BodyHandlers.ofByteArray());
            assertThat(d.statusCode()).isEqualTo(200);
            assertThat(d.headers().firstValue("Content-Type")).hasValue("text/html; charset=utf-8");
            try (InputStream in = EngineHttp.class.getResourceAsStream("/dev/tally/engine/http/dashboard.html"))
            {
                assertThat(in).isNotNull();
                assertThat(d.body()).isEqualTo(in.readAllBytes());
            }

            final HttpResponse<String> root = client.send(HttpRequest.newBuilder(URI.create(base + "/")).build(),
                HttpResponse.BodyHandlers.ofString());
            assertThat(root.statusCode()).isEqualTo(302);
            assertThat(root.headers().firstValue("Location")).hasValue("/dashboard");
            assertThat(client.send(HttpRequest.newBuilder(URI.create(base + "/nope")).build(),
                HttpResponse.BodyHandlers.ofString()).statusCode()).isEqualTo(404);
        }
    }
}
