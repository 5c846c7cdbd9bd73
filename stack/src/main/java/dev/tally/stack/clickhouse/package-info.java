/**
 * The local ClickHouse server: the ClickHouse engine of {@code libchdb.so}, bound through the Foreign Function &amp;
 * Memory API, served over ClickHouse's HTTP interface on loopback so the engine talks to it as to a real server.
 */
package dev.tally.stack.clickhouse;
