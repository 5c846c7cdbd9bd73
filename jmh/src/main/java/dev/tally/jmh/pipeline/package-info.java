/**
 * Benchmarks of the engine's threads handing work to each other: the records ring on its own, and the whole
 * in-memory pipeline (records ring, windowing, rows ring, RowBinary encoder, batch queues) with a feeder in place of
 * the Kafka consumer and a writer that acknowledges batches without inserting them. Run with {@code -prof gc}: the
 * GC profiler counts what every thread of the fork allocates, so about 0 B/op covers all stages.
 */
package dev.tally.jmh.pipeline;
