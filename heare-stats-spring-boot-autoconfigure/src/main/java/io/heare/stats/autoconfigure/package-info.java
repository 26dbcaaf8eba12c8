/**
 * Auto-configuration for the heare stats client.
 */
@NullMarked
package io.heare.stats.autoconfigure;

import org.jspecify.annotations.NullMarked;
