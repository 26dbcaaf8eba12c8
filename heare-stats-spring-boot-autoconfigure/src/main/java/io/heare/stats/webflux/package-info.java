/**
 * Spring WebFlux support for HTTP server metrics.
 */
package io.heare.stats.webflux;
