package io.heare.stats.annotation;

import java.lang.annotation.Documented;
import java.lang.annotation.ElementType;
import java.lang.annotation.Inherited;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Counts invocations of the annotated method, or of every public method of the annotated
 * type. With the Spring Boot auto-configuration each invocation records, in one pipeline:
 * <ul>
 * <li>{@code <name>} on every completed invocation, whatever its outcome, and also
 * <li>{@code <name>.error} plus {@code <name>.error.<ExceptionSimpleName>} when it
 * failed, or {@code <name>.cancelled} when a reactive or asynchronous result was
 * cancelled.
 * </ul>
 * With {@link #failuresOnly()} only the two failure counters are recorded. A method that
 * returns a {@code CompletionStage}, a Reactor {@code Mono} or a {@code Flux} is counted
 * when it completes, fails or is cancelled.
 * <p>
 * The annotation works through a proxy: it has no effect on private, static or final
 * methods, nor on calls a bean makes to its own methods ({@code this.method()}).
 *
 * @since 0.1.0
 * @see Timed
 */
@Target({ ElementType.METHOD, ElementType.TYPE })
@Retention(RetentionPolicy.RUNTIME)
@Inherited
@Documented
public @interface Counted {

	/**
	 * The metric name. On a method it is the full name; on a type it replaces the simple
	 * class name and the method name is appended ({@code <value>.<method>}). Defaults to
	 * {@code <SimpleClassName>.<method>}.
	 * @return the metric name, or an empty string for the default
	 */
	String value() default "";

	/**
	 * Whether to count only failed invocations, as {@code <name>.error} and
	 * {@code <name>.error.<ExceptionSimpleName>}.
	 * @return {@code true} to count failures only
	 */
	boolean failuresOnly() default false;

}
