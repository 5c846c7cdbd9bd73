/**
 * The deterministic event generator: the i-th event is a pure function of (seed, i).
 */
package dev.tally.gen;
