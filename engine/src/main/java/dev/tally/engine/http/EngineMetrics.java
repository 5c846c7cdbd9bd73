package dev.tally.engine.http;

import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.DoubleSupplier;

import dev.tally.engine.EngineCounters;
import dev.tally.engine.latency.LatencyRecorders;
import dev.tally.engine.report.Reporter;

import io.prometheus.metrics.core.metrics.CounterWithCallback;
import io.prometheus.metrics.core.metrics.GaugeWithCallback;
import io.prometheus.metrics.core.metrics.Histogram;
import io.prometheus.metrics.model.registry.PrometheusRegistry;

/**
 * The engine's Prometheus metrics. Counters and gauges are callbacks that read the stages' counters when scraped,
 * so nothing on a hot path touches Prometheus; the two insert histograms are observed once per batch by the writer
 * thread. Names are documented in docs/metrics.md and used by docs/grafana/tally-dashboard.json.
 */
public final class EngineMetrics
{
    private final PrometheusRegistry registry = new PrometheusRegistry();
    private final Histogram batchRows;
    private final Histogram insertSeconds;

    public EngineMetrics()
    {
        batchRows = Histogram.builder().name("tally_insert_batch_rows").help("Rows per acknowledged insert")
            .classicOnly().classicUpperBounds(1, 10, 100, 1_000, 10_000, 50_000, 100_000, 250_000, 500_000, 1_000_000)
            .register(registry);
        insertSeconds = Histogram.builder().name("tally_insert_duration_seconds")
            .help("First attempt to acknowledgement of each insert, retries included").classicOnly()
            .classicUpperBounds(0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10, 30, 60)
            .register(registry);
    }

    /** Writer thread: one acknowledged insert. */
    public void onInsert(final int rows, final long latencyNanos)
    {
        batchRows.observe(rows);
        insertSeconds.observe(latencyNanos / 1e9);
    }

    public PrometheusRegistry registry()
    {
        return registry;
    }

    /** Registers everything that reads the running engine's counters and the reporter. */
    public void bind(final EngineCounters c, final Reporter reporter, final DoubleSupplier recordsRing,
        final DoubleSupplier rowsRing, final DoubleSupplier resentBatches)
    {
        counter("tally_records_consumed_total", "Records taken from Kafka into the records ring", c.recordsIn);
        counter("tally_records_accepted_total", "Records folded into at least one window", c.recordsAccepted);
        counter("tally_rows_emitted_total", "Rollup rows emitted by the windowing stage", c.rowsEmitted);
        counter("tally_batches_inserted_total", "Insert batches ClickHouse acknowledged", c.batchesInserted);
        counter("tally_rows_inserted_total", "Rows in acknowledged insert batches", c.rowsInserted);
        counter("tally_insert_retries_total", "Failed insert attempts, each retried with the same bytes and token",
            c.insertRetries);
        counter("tally_consumer_pauses_total", "Times the consumer paused its partitions (records ring full)",
            c.consumerPauses);
        counter("tally_commits_failed_total", "Offset commits the group refused (a later one supersedes them)",
            c.commitFailures);
        counter("tally_partitions_lost_total", "Partitions taken away without revocation (this member was fenced)",
            c.partitionsLost);
        counter("tally_dead_letter_errors_total", "Side-output records the dead-letter topic failed to take",
            c.deadLetterErrors);
        CounterWithCallback.builder().name("tally_journal_resent_batches_total")
            .help("Journaled batches of an earlier run re-sent under their token (deduplicated by ClickHouse when " +
                "they had landed)")
            .callback(cb -> cb.call(resentBatches.getAsDouble())).register(registry);
        CounterWithCallback.builder().name("tally_side_output_total").help("Side-output records by reason")
            .labelNames("reason").callback(cb ->
            {
                cb.call(c.malformed.get(), "malformed");
                cb.call(c.future.get(), "future");
                cb.call(c.late.get(), "late");
            }).register(registry);

        GaugeWithCallback.builder().name("tally_e2e_latency_seconds")
            .help("End-to-end latency (Kafka timestamp to insert acknowledged) over the last complete 10 s, by part")
            .labelNames("part", "quantile").callback(cb ->
            {
                for (int p = 0; p < LatencyRecorders.PARTS.length; p++)
                {
                    for (int q = 0; q < Reporter.QUANTILES.length; q++)
                    {
                        cb.call(reporter.windowPercentile(p, q) / 1000.0, LatencyRecorders.PARTS[p],
                            Double.toString(Reporter.QUANTILES[q]));
                    }
                }
            }).register(registry);
        GaugeWithCallback.builder().name("tally_kafka_lag_records").help("Records behind the log end, by partition")
            .labelNames("partition").callback(cb ->
            {
                for (int p = 0; p < EngineCounters.REPORTED_PARTITIONS; p++)
                {
                    final long lag = c.lag.get(p);
                    if (lag >= 0)
                    {
                        cb.call(lag, Integer.toString(p));
                    }
                }
            }).register(registry);
        gauge("tally_watermark_lag_seconds", "Wall clock minus the smallest watermark of the partitions owned that have one",
            () -> reporter.watermarkLagSeconds(System.currentTimeMillis()));
        gauge("tally_paused_partitions", "Partitions paused because the records ring is full",
            () -> c.pausedPartitions.get());
        gauge("tally_inflight_batches", "Batches cut and not yet acknowledged (bounded by --batches-in-flight)",
            reporter::batchesInFlight);
        gauge("tally_window_live_rows", "Rows held in window state", reporter::liveRows);
        GaugeWithCallback.builder().name("tally_ring_occupancy_ratio").help("Fraction of each ring's slots in use")
            .labelNames("ring").callback(cb ->
            {
                cb.call(recordsRing.getAsDouble(), "records");
                cb.call(rowsRing.getAsDouble(), "rows");
            }).register(registry);
        jvm();
    }

    private void jvm()
    {
        final MemoryMXBean memory = ManagementFactory.getMemoryMXBean();
        GaugeWithCallback.builder().name("jvm_memory_used_bytes").help("JVM memory in use").labelNames("area")
            .callback(cb ->
            {
                cb.call(memory.getHeapMemoryUsage().getUsed(), "heap");
                cb.call(memory.getNonHeapMemoryUsage().getUsed(), "nonheap");
            }).register(registry);
        GaugeWithCallback.builder().name("jvm_memory_max_bytes").help("JVM memory limit (-1: none)").labelNames("area")
            .callback(cb ->
            {
                cb.call(memory.getHeapMemoryUsage().getMax(), "heap");
                cb.call(memory.getNonHeapMemoryUsage().getMax(), "nonheap");
            }).register(registry);
        final List<GarbageCollectorMXBean> gcs = ManagementFactory.getGarbageCollectorMXBeans();
        CounterWithCallback.builder().name("jvm_gc_collection_seconds_total").help("Time spent in each collector")
            .labelNames("gc").callback(cb ->
            {
                for (final GarbageCollectorMXBean gc : gcs)
                {
                    cb.call(Math.max(0, gc.getCollectionTime()) / 1000.0, gc.getName());
                }
            }).register(registry);
        CounterWithCallback.builder().name("jvm_gc_collections_total").help("Collections by collector")
            .labelNames("gc").callback(cb ->
            {
                for (final GarbageCollectorMXBean gc : gcs)
                {
                    cb.call(Math.max(0, gc.getCollectionCount()), gc.getName());
                }
            }).register(registry);
    }

    private void counter(final String name, final String help, final AtomicLong value)
    {
        CounterWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.get())).register(registry);
    }

    private void gauge(final String name, final String help, final DoubleSupplier value)
    {
        GaugeWithCallback.builder().name(name).help(help).callback(cb -> cb.call(value.getAsDouble())).register(registry);
    }
}
