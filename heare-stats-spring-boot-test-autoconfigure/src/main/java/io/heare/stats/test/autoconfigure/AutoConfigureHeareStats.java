package io.heare.stats.test.autoconfigure;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

import org.springframework.boot.autoconfigure.ImportAutoConfiguration;

import io.heare.stats.client.StatsClient;
import io.heare.stats.test.InMemoryStatsClient;

/**
 * Annotation on a test class that controls heare stats in its Spring test context.
 * <p>
 * In a test slice ({@code @WebMvcTest}, {@code @WebFluxTest}, ...) it adds the heare
 * stats auto-configuration: the request metrics filter and the {@code @Timed} /
 * {@code @Counted} advice then record into the context's {@link StatsClient}. A full
 * {@code @SpringBootTest} has them anyway.
 * <p>
 * Every test context holds an {@link InMemoryStatsClient} in place of the client the
 * application's configuration describes, with or without this annotation. With
 * {@link #export() export = true} it holds that client, which sends to the configured
 * service. For a test class without this annotation, the property
 * {@code heare.stats.test.export=true} does the same; the annotation wins over the
 * property.
 *
 * @author heare-stats
 * @since 0.1.0
 */
@Target(ElementType.TYPE)
@Retention(RetentionPolicy.RUNTIME)
@Documented
@Inherited
@ImportAutoConfiguration
public @interface AutoConfigureHeareStats {

	/**
	 * Whether metrics recorded in the test are sent to the service that the application's
	 * configuration names, rather than kept in an {@link InMemoryStatsClient}.
	 * @return whether to send metrics
	 */
	boolean export() default false;

}
