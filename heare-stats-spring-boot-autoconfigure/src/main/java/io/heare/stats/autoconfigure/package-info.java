/**
 * Auto-configuration for the heare stats client.
 */
package io.heare.stats.autoconfigure;
