/**
 * Auto-configuration that sends every Micrometer meter of the application to heare.
 */
package io.heare.stats.autoconfigure.micrometer;
