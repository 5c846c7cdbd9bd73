/**
 * Benchmarks of the engine's hot path after the Kafka poll: decoding a record value, folding it into its event-time
 * windows, emitting changed rows and encoding them as ClickHouse RowBinary. Run with {@code -prof gc}: every
 * benchmark here must report about 0 B/op.
 */
package dev.tally.jmh.window;
