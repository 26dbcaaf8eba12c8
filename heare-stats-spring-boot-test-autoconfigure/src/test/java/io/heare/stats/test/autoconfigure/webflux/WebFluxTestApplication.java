package io.heare.stats.test.autoconfigure.webflux;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring WebFlux application, as a user's, for the tests in this package.
 */
@SpringBootApplication
public class WebFluxTestApplication {

}
