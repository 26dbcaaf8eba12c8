package io.heare.stats.test.autoconfigure.servlet;

import org.springframework.boot.autoconfigure.SpringBootApplication;

/**
 * A Spring MVC application, as a user's, for the tests in this package.
 */
@SpringBootApplication
public class ServletTestApplication {

}
