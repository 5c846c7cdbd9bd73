/**
 * Ground truth recomputed from the input log and diffed against ClickHouse.
 */
package dev.tally.verify;
