/**
 * Spring AOP support for the {@code @Timed} and {@code @Counted} annotations.
 */
package io.heare.stats.aop;
