/**
 * Test support for code that records heare stats:
 * {@link io.heare.stats.test.InMemoryStatsClient}, a client that keeps every update in
 * memory, and AssertJ assertions on it ({@link io.heare.stats.test.StatsAssert}).
 */
package io.heare.stats.test;
