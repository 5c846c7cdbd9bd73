/**
 * The write-ahead journal of tally's ClickHouse writer: every batch is journaled (with its RowBinary payload) before
 * it is sent, acknowledged after ClickHouse acked it, and checkpoints are journaled after Kafka offsets are committed.
 * On restart {@link dev.tally.journal.Journal#replayPending} hands back, in order and byte for byte, every batch that
 * was prepared but never acknowledged. Backed by a Chronicle Queue; see docs/journal.md for the design.
 */
package dev.tally.journal;
