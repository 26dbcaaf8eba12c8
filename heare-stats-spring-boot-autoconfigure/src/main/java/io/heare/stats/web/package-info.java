/**
 * HTTP server metrics shared by the servlet filter and the WebFlux filter.
 */
package io.heare.stats.web;
