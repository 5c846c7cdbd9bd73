/**
 * The engine: Kafka consumer, Disruptor ring, event-time windowing, RowBinary encoding and the ClickHouse writer, one owner thread per stage.
 */
package dev.tally.engine;
