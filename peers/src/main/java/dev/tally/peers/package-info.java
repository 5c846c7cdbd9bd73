/**
 * What tally is measured against on the same pre-loaded backlog (issue 11, the performance program): Kafka's own
 * consumer doing nothing but read ({@link dev.tally.peers.RawConsumerCeiling}, the ceiling no consumer of the topic
 * can beat on this machine), and the same minute and hour rollup written in Kafka Streams with exactly-once v2
 * ({@link dev.tally.peers.StreamsRollup}). {@code perf-scripts/peers.sh} runs both and {@code ./tally run} side by
 * side; docs/peers.md has the figures.
 */
package dev.tally.peers;
