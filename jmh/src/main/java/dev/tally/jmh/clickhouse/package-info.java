/**
 * Benchmarks of the local ClickHouse server as the engine drives it: client-v2 over HTTP, RowBinary inserts.
 */
package dev.tally.jmh.clickhouse;
