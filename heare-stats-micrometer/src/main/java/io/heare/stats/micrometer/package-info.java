/**
 * A Micrometer {@code MeterRegistry} that sends every meter to heare through a
 * {@code StatsClient}.
 */
package io.heare.stats.micrometer;
