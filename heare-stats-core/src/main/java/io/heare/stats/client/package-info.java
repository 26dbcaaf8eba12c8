/**
 * The heare stats client: {@link io.heare.stats.client.StatsClient}, created from a
 * {@link io.heare.stats.client.StatsClientConfig} or by the Python client's constructors
 * ({@link io.heare.stats.client.HttpClient} and the others). Aggregation, sending and the
 * transports are package-private here; {@link io.heare.stats.client.HttpSender} is the
 * one seam for another HTTP client.
 */
package io.heare.stats.client;
