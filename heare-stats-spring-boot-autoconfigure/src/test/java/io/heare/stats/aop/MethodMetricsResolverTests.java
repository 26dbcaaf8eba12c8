package io.heare.stats.aop;

import java.lang.reflect.Method;

import org.junit.jupiter.api.Test;

import io.heare.stats.annotation.Timed;
import io.heare.stats.testsupport.CapturingStatsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link MethodMetricsResolver}.
 */
class MethodMetricsResolverTests {

	private final CapturingStatsClient client = new CapturingStatsClient();

	private final MethodMetricsResolver resolver = new MethodMetricsResolver(() -> this.client);

	@Test
	void anInheritedMethodIsNamedAfterEachTargetClassItIsCalledOn() throws Exception {
		Method work = Base.class.getMethod("work");
		for (int i = 0; i < 2; i++) {
			this.resolver.resolve(work, First.class).success(System.nanoTime());
			this.resolver.resolve(work, Second.class).success(System.nanoTime());
		}
		assertThat(this.client.names()).containsExactly("First.work", "First.work.success", "Second.work",
				"Second.work.success", "First.work", "First.work.success", "Second.work", "Second.work.success");
		assertThat(this.resolver.resolve(work, First.class)).isSameAs(this.resolver.resolve(work, First.class));
	}

	@Test
	void aMethodWithoutAnnotationOrTargetResolvesToNothing() throws Exception {
		Method work = Base.class.getMethod("work");
		assertThat(this.resolver.resolve(work, Base.class)).isNull();
		assertThat(this.resolver.resolve(work, null)).isNull();
		assertThat(this.resolver.resolve(work, First.class)).isNotNull();
	}

	@Test
	void thePointcutsQuestionsAboutEveryMethodCacheOnlyTheAnnotatedOnes() throws Exception {
		for (Method method : StringBuilder.class.getMethods()) {
			assertThat(this.resolver.isAnnotated(method, StringBuilder.class)).isFalse();
		}
		Method work = Base.class.getMethod("work");
		assertThat(this.resolver.isAnnotated(work, Base.class)).isFalse();
		assertThat(this.resolver.cachedMethods()).isZero();
		assertThat(this.resolver.isAnnotated(work, First.class)).isTrue();
		assertThat(this.resolver.cachedMethods()).isOne();
		assertThat(this.resolver.isAnnotated(work, First.class)).isTrue();
		assertThat(this.resolver.resolve(work, First.class)).isNotNull();
	}

	@Test
	void aMethodResolvedToNothingIsNotAnnotatedForThePointcutEither() throws Exception {
		Method work = Base.class.getMethod("work");
		assertThat(this.resolver.resolve(work, Base.class)).isNull();
		assertThat(this.resolver.isAnnotated(work, Base.class)).isFalse();
	}

	@Test
	void anAnnotatedMethodWithoutTargetUsesItsDeclaringClass() throws Exception {
		this.resolver.resolve(Annotated.class.getMethod("run"), null).success(System.nanoTime());
		assertThat(this.client.names()).containsExactly("jobs.run", "jobs.run.success");
	}

	public static class Base {

		public void work() {
		}

	}

	@Timed
	public static class First extends Base {

	}

	@Timed
	public static class Second extends Base {

	}

	public static class Annotated {

		@Timed("jobs.run")
		public void run() {
		}

	}

}
