/**
 * JMH microbenchmarks, run apart from the tests.
 */
package dev.tally.jmh;
