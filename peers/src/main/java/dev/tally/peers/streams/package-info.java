/**
 * The minute and hour rollup written in Kafka Streams, as a user of Kafka Streams would write it, for
 * {@link dev.tally.peers.StreamsRollup}: decoding serde, event-time extractor, keys, aggregates, output rows and the
 * topology that ties them together.
 */
package dev.tally.peers.streams;
