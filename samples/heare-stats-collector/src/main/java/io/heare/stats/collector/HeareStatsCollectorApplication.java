package io.heare.stats.collector;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.context.properties.ConfigurationPropertiesScan;

/**
 * A local heare metrics service for development and end-to-end tests. It accepts the HTTP
 * JSON body on {@code POST /http}, StatsD lines over UDP and TCP, and JSON frames on the
 * {@code /ws} WebSocket, aggregates them like the StatsD relay, shows them on a dashboard
 * at {@code /} and, when configured, forwards them to another heare service.
 *
 * @author heare-stats
 * @since 0.1.0
 */
@SpringBootApplication
@ConfigurationPropertiesScan
public class HeareStatsCollectorApplication {

	/**
	 * Starts the collector.
	 * @param args command-line arguments, passed to Spring Boot
	 */
	public static void main(String[] args) {
		SpringApplication.run(HeareStatsCollectorApplication.class, args);
	}

}
