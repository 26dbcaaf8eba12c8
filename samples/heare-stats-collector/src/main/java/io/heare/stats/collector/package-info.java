/**
 * A local heare metrics service for development and end-to-end tests: HTTP, StatsD
 * UDP/TCP and WebSocket ingestion, aggregation, a dashboard and a relay.
 */
@NullMarked
package io.heare.stats.collector;

import org.jspecify.annotations.NullMarked;
