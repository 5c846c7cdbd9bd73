package dev.tally.chaos.demo;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** The engine's counters summed over its processes, and the batch sizes read off the histogram buckets. */
class EngineTotalsTest
{
    private static EngineMetricsScrape scrape(final long small, final long medium, final long rows, final double lag)
    {
        return EngineMetricsScrape.parse("""
            # HELP tally_insert_batch_rows Rows per acknowledged insert
            # TYPE tally_insert_batch_rows histogram
            tally_insert_batch_rows_bucket{le="1000.0"} %d
            tally_insert_batch_rows_bucket{le="10000.0"} %d
            tally_insert_batch_rows_bucket{le="+Inf"} %d
            tally_insert_batch_rows_count %d
            tally_insert_batch_rows_sum %d.0
            tally_rows_inserted_total %d.0
            tally_kafka_lag_records{partition="0"} %s
            tally_kafka_lag_records{partition="1"} %s
            tally_e2e_latency_seconds{part="total",quantile="0.99"} NaN
            """.formatted(small, small + medium, small + medium, small + medium, rows, rows, lag, lag));
    }

    @Test
    void countersAddUpOverProcessesAndBatchSizesComeFromTheBuckets()
    {
        final EngineTotals totals = new EngineTotals();
        totals.add(scrape(3, 0, 1_500, 1), true);
        totals.add(scrape(0, 2, 12_000, 2), false);

        assertThat(totals.processes()).isEqualTo(2);
        assertThat(totals.approximate()).isEqualTo(1);
        assertThat(totals.sum("tally_rows_inserted_total")).isEqualTo(13_500);
        assertThat(totals.sum("tally_kafka_lag_records")).as("both partitions of both processes").isEqualTo(6);
        assertThat(totals.batchSizes()).isEqualTo("rows per batch: mean 2,700; smallest in (0, 1,000], " +
            "median in (0, 1,000], largest in (1,000, 10,000] (tally_insert_batch_rows buckets)");
    }

    @Test
    void aMissingGaugeIsNaNAndAMissingCounterZero()
    {
        final EngineMetricsScrape s = scrape(1, 0, 10, 0);
        assertThat(s.latencySeconds("total", "0.99")).isNaN();
        assertThat(s.latencySeconds("insert", "0.5")).isNaN();
        assertThat(s.count("tally_batches_inserted_total")).isZero();
        assertThat(s.has("tally_kafka_lag_records")).isTrue();
        assertThat(s.has("tally_kafka_lag")).isFalse();
    }
}
