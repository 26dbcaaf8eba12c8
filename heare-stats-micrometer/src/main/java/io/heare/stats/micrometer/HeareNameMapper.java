package io.heare.stats.micrometer;

import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.config.NamingConvention;
import io.micrometer.core.instrument.util.HierarchicalNameMapper;

/**
 * Turns a meter's name and tags into one flat heare name. The result is then sanitized by
 * the client's name rule ({@code io.heare.stats.client.MetricNames}), so a mapper need
 * not escape anything itself. A type of its own, rather than a bare
 * {@link HierarchicalNameMapper}, so that an application can give heare a mapping without
 * changing that of another hierarchical registry (JMX, Graphite).
 *
 * @author heare-stats
 * @since 0.1.0
 */
@FunctionalInterface
public interface HeareNameMapper extends HierarchicalNameMapper {

	/**
	 * Micrometer's {@link HierarchicalNameMapper#DEFAULT}: the name, then every tag as
	 * {@code .key.value}, in tag key order. {@code http.server.requests} with
	 * {@code method=GET} and {@code status=200} becomes
	 * {@code http.server.requests.method.GET.status.200}.
	 */
	HeareNameMapper DEFAULT = HierarchicalNameMapper.DEFAULT::toHierarchicalName;

	@Override
	String toHierarchicalName(Meter.Id id, NamingConvention convention);

}
