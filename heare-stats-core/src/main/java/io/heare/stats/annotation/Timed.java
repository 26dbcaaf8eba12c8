package io.heare.stats.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Times each invocation of the annotated method, or of every public method of the
 * annotated type, and counts its outcome. With the Spring Boot auto-configuration each
 * invocation records, in one pipeline:
 * <ul>
 * <li>{@code <name>} (timer, milliseconds) and
 * <li>{@code <name>.success}, or {@code <name>.error} plus
 * {@code <name>.error.<ExceptionSimpleName>}, or {@code <name>.cancelled} (counters).
 * </ul>
 * A method that returns a {@code CompletionStage}, a Reactor {@code Mono} or a
 * {@code Flux} is measured until it completes, fails or is cancelled, not until it
 * returns.
 * <p>
 * The annotation works through a proxy: it has no effect on private, static or final
 * methods, nor on calls a bean makes to its own methods ({@code this.method()}).
 *
 * @since 0.1.0
 * @see Counted
 */
@Target({ ElementType.METHOD, ElementType.TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Documented
public @interface Timed {

	/**
	 * The metric name. On a method it is the full name; on a type it replaces the simple
	 * class name and the method name is appended ({@code <value>.<method>}). Defaults to
	 * {@code <SimpleClassName>.<method>}.
	 * @return the metric name, or an empty string for the default
	 */
	String value() default "";

}
