/**
 * A Spring MVC application that publishes request, method, service and job metrics
 * through the heare stats starter.
 */
@NullMarked
package io.heare.stats.sample.webmvc;

import org.jspecify.annotations.NullMarked;
