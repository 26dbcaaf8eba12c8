/**
 * Annotations that mark methods for timing and counting. They have no dependencies; the
 * Spring Boot auto-configuration applies them.
 */
package io.heare.stats.annotation;
