/**
 * Auto-configuration for the {@code @Timed} and {@code @Counted} annotations.
 */
package io.heare.stats.autoconfigure.aop;
