/**
 * The local stack: Kafka brokers in KRaft mode and a ClickHouse server, each a separate process started and stopped by pid.
 */
package dev.tally.stack;
