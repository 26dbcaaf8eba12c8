/**
 * Auto-configuration for HTTP server request metrics (Spring MVC and WebFlux).
 */
package io.heare.stats.autoconfigure.web;
