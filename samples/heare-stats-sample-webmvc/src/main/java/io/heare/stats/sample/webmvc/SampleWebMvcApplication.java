package io.heare.stats.sample.webmvc;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.scheduling.annotation.EnableScheduling;

/**
 * An order service that reports to a heare metrics service: HTTP request metrics come
 * from the starter's filter, method timings from {@code @Timed} and {@code @Counted}, and
 * the business, database and background-job metrics from an injected {@code StatsClient}.
 *
 * @author heare-stats
 * @since 0.1.0
 */
@SpringBootApplication
@EnableScheduling
public class SampleWebMvcApplication {

	/**
	 * Starts the sample.
	 * @param args command-line arguments, passed to Spring Boot
	 */
	public static void main(String[] args) {
		SpringApplication.run(SampleWebMvcApplication.class, args);
	}

}
