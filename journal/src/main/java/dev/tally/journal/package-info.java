/**
 * The write-ahead journal (Chronicle Queue): batches prepared, acknowledged and checkpoints committed.
 */
package dev.tally.journal;
