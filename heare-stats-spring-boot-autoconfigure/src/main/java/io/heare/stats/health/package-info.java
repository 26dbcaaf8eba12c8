/**
 * Actuator health support for the heare stats client.
 */
@NullMarked
package io.heare.stats.health;

import org.jspecify.annotations.NullMarked;
