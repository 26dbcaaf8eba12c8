package io.heare.stats.webflux;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import io.heare.stats.testsupport.AbstractHttpServerMetricsIntegrationTests;

/**
 * The shared request-metrics tests for {@link HeareStatsWebFilter} on an embedded Netty,
 * with the response size histogram enabled.
 */
@SpringBootTest(classes = HeareStatsWebFilterIntegrationTests.WebFluxApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT,
		properties = { "spring.main.web-application-type=reactive", "heare.stats.web.response-size.enabled=true" })
class HeareStatsWebFilterResponseSizeIntegrationTests extends AbstractHttpServerMetricsIntegrationTests {

}
