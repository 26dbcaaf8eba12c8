package io.heare.stats.servlet;

import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;

import io.heare.stats.testsupport.AbstractHttpServerMetricsIntegrationTests;

/**
 * The shared request-metrics tests for {@link HeareStatsServletFilter} on an embedded
 * Tomcat, with the response size histogram enabled.
 */
@SpringBootTest(classes = HeareStatsServletFilterIntegrationTests.MvcApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT, properties = "heare.stats.web.response-size.enabled=true")
class HeareStatsServletFilterResponseSizeIntegrationTests extends AbstractHttpServerMetricsIntegrationTests {

}
