/**
 * {@code ./tally verify}: the ground truth recomputed from the input topic with plain maps and exact integers,
 * independently of the engine (only the wire-format decoder of {@code codec} is shared), and diffed against
 * ClickHouse through the {@code _final} views and through {@code argMax(version)} on the base tables. See
 * docs/verify.md.
 */
package dev.tally.verify;
