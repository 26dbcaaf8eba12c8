package io.heare.stats.autoconfigure.web;

import java.util.ArrayList;
import java.util.List;

import org.springframework.boot.context.properties.ConfigurationProperties;
import org.springframework.core.Ordered;

/**
 * {@link ConfigurationProperties @ConfigurationProperties} for HTTP server request
 * metrics.
 *
 * @since 0.1.0
 */
@ConfigurationProperties("heare.stats.web")
public class HeareStatsWebProperties {

	/**
	 * Default filter order: first among application filters, just after Spring's
	 * highest-precedence filters.
	 */
	public static final int DEFAULT_FILTER_ORDER = Ordered.HIGHEST_PRECEDENCE + 1;

	/**
	 * Whether to record metrics for every HTTP request the application serves.
	 */
	private boolean enabled = true;

	/**
	 * Name that every request metric starts with.
	 */
	private String baseName = "http.server";

	/**
	 * Path patterns, within the application, of requests that are not measured.
	 */
	private List<String> excludedPaths = new ArrayList<>(List.of("/actuator/**"));

	/**
	 * Order of the request metrics filter.
	 */
	private int filterOrder = DEFAULT_FILTER_ORDER;

	private final ResponseSize responseSize = new ResponseSize();

	public boolean isEnabled() {
		return this.enabled;
	}

	public void setEnabled(boolean enabled) {
		this.enabled = enabled;
	}

	public String getBaseName() {
		return this.baseName;
	}

	public void setBaseName(String baseName) {
		this.baseName = baseName;
	}

	public List<String> getExcludedPaths() {
		return this.excludedPaths;
	}

	public void setExcludedPaths(List<String> excludedPaths) {
		this.excludedPaths = excludedPaths;
	}

	public int getFilterOrder() {
		return this.filterOrder;
	}

	public void setFilterOrder(int filterOrder) {
		this.filterOrder = filterOrder;
	}

	public ResponseSize getResponseSize() {
		return this.responseSize;
	}

	/**
	 * The response size histogram.
	 */
	public static class ResponseSize {

		/**
		 * Whether to record the size of every response that declares a Content-Length, as
		 * a histogram.
		 */
		private boolean enabled;

		public boolean isEnabled() {
			return this.enabled;
		}

		public void setEnabled(boolean enabled) {
			this.enabled = enabled;
		}

	}

}
