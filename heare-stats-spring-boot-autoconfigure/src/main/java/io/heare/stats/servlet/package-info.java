/**
 * Servlet support for HTTP server metrics.
 */
package io.heare.stats.servlet;
