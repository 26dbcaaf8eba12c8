package io.heare.stats.autoconfigure.aop;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.regex.Pattern;

import io.micrometer.core.aop.CountedAspect;
import io.micrometer.core.aop.TimedAspect;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.aop.aspectj.annotation.AnnotationAwareAspectJAutoProxyCreator;
import org.springframework.aop.config.AopConfigUtils;
import org.springframework.aop.framework.autoproxy.InfrastructureAdvisorAutoProxyCreator;
import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.aop.AopAutoConfiguration;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.context.annotation.Lazy;

import io.heare.stats.annotation.Counted;
import io.heare.stats.annotation.Timed;
import io.heare.stats.aop.StatsAnnotationAdvisor;
import io.heare.stats.client.StatsClient;
import io.heare.stats.testsupport.CapturingStatsClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;
import static org.awaitility.Awaitility.await;

/**
 * Tests for {@link HeareStatsAopAutoConfiguration}.
 */
@ExtendWith(OutputCaptureExtension.class)
class HeareStatsAopAutoConfigurationTests {

	private static final String WARNING = "Metrics annotations that nothing will measure:";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(AopAutoConfiguration.class, HeareStatsAopAutoConfiguration.class));

	@Test
	void backsOffWithoutAStatsClient() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(StatsAnnotationAdvisor.class));
	}

	@Test
	void backsOffWhenDisabledAndDoesNotWarnAboutWhatItWasToldNotToMeasure(CapturedOutput output) {
		this.contextRunner.withUserConfiguration(ServiceConfiguration.class)
			.withPropertyValues("heare.stats.aop.enabled=false")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(StatsAnnotationAdvisor.class);
				assertThat(AopUtils.isAopProxy(context.getBean(Service.class))).isFalse();
			});
		assertThat(output).doesNotContain(WARNING);
	}

	@ParameterizedTest(name = "AspectJ present: {0}")
	@ValueSource(booleans = { true, false })
	void appliesTheAdviceThroughSpringBootsAutoProxyCreator(boolean aspectJ) {
		withAspectJ(aspectJ).withUserConfiguration(ServiceConfiguration.class).run((context) -> {
			assertThat(context).hasSingleBean(StatsAnnotationAdvisor.class);
			assertThat(context.getBean(AopConfigUtils.AUTO_PROXY_CREATOR_BEAN_NAME)).isInstanceOf(aspectJ
					? AnnotationAwareAspectJAutoProxyCreator.class : InfrastructureAdvisorAutoProxyCreator.class);
			Service service = context.getBean(Service.class);
			assertThat(AopUtils.isCglibProxy(service)).isTrue();
			service.work(false);
			assertThat(context.getBean(CapturingStatsClient.class).names()).containsExactly("svc.work",
					"svc.work.success");
		});
	}

	@ParameterizedTest(name = "AspectJ present: {0}, proxy-target-class: {1}")
	@CsvSource({ "true, true", "true, false", "false, true", "false, false" })
	void honoursProxyTargetClass(boolean aspectJ, boolean proxyTargetClass) {
		withAspectJ(aspectJ).withUserConfiguration(GreeterConfiguration.class)
			.withPropertyValues("spring.aop.proxy-target-class=" + proxyTargetClass)
			.run((context) -> {
				Greeter greeter = context.getBean(Greeter.class);
				assertThat(AopUtils.isCglibProxy(greeter)).isEqualTo(proxyTargetClass);
				assertThat(AopUtils.isJdkDynamicProxy(greeter)).isEqualTo(!proxyTargetClass);
				assertThat(greeter.greet()).isEqualTo("hello");
				assertThat(context.getBean(CapturingStatsClient.class).names()).containsExactly("greet",
						"greet.success");
			});
	}

	@ParameterizedTest(name = "AspectJ present: {0}")
	@ValueSource(booleans = { true, false })
	void springAopAutoFalseProxiesNothingOfOursAndSaysSo(boolean aspectJ, CapturedOutput output) {
		withAspectJ(aspectJ).withUserConfiguration(ServiceConfiguration.class)
			.withPropertyValues("spring.aop.auto=false")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(StatsAnnotationAdvisor.class)
					.doesNotHaveBean(AopConfigUtils.AUTO_PROXY_CREATOR_BEAN_NAME);
				Service service = context.getBean(Service.class);
				assertThat(AopUtils.isAopProxy(service)).isFalse();
				service.work(false);
				assertThat(context.getBean(CapturingStatsClient.class).recorded()).isEmpty();
			});
		assertThat(warnings(output)).singleElement()
			.asString()
			.contains("@io.heare.stats.annotation.Timed on " + Service.class.getName()
					+ ".work(boolean): spring.aop.auto is false, so Spring Boot creates no proxies; "
					+ "remove spring.aop.auto=false")
			.contains("@io.heare.stats.annotation.Counted on " + Service.class.getName() + ".counted(boolean)")
			.contains("@io.heare.stats.annotation.Timed on " + TypedService.class.getName() + ".one()");
	}

	@Test
	void warnsThatBeansAreNotProxiedWithoutSpringBootsAopAutoConfiguration(CapturedOutput output) {
		new ApplicationContextRunner().withConfiguration(AutoConfigurations.of(HeareStatsAopAutoConfiguration.class))
			.withUserConfiguration(ServiceConfiguration.class)
			.run((context) -> {
				assertThat(context).hasSingleBean(StatsAnnotationAdvisor.class);
				assertThat(AopUtils.isAopProxy(context.getBean(Service.class))).isFalse();
			});
		assertThat(warnings(output)).singleElement()
			.asString()
			.contains(Service.class.getName() + ".work(boolean): the bean is not proxied: keep Spring Boot's "
					+ "AopAutoConfiguration");
	}

	@Test
	void warnsThatNothingMeasuresWithoutAStatsClientBean(CapturedOutput output) {
		this.contextRunner.withBean(Service.class).run((context) -> {
			assertThat(context).doesNotHaveBean(StatsAnnotationAdvisor.class);
			assertThat(AopUtils.isAopProxy(context.getBean(Service.class))).isFalse();
		});
		assertThat(warnings(output)).singleElement()
			.asString()
			.contains(Service.class.getName() + ".work(boolean): there is no StatsClient bean to record into");
	}

	@Test
	void warnsOnceAboutMicrometerAnnotationsWithoutMicrometersAspects(CapturedOutput output) {
		this.contextRunner.withUserConfiguration(ServiceConfiguration.class, MicrometerAnnotatedConfiguration.class)
			.run((context) -> assertThat(context).hasNotFailed());
		assertThat(warnings(output)).singleElement()
			.asString()
			.contains("@io.micrometer.core.annotation.Timed on " + MicrometerAnnotated.class.getName()
					+ ".work(): no Micrometer TimedAspect is active; import io.heare.stats.annotation.Timed instead, "
					+ "or add spring-boot-starter-aspectj and set management.observations.annotations.enabled=true")
			.contains("@io.micrometer.core.annotation.Counted on " + MicrometerAnnotated.class.getName()
					+ ".count(): no Micrometer CountedAspect is active; import io.heare.stats.annotation.Counted")
			.contains("Service.hidden()");
	}

	@Test
	void saysNothingAboutMicrometerAnnotationsThatMicrometersAspectsMeasure(CapturedOutput output) {
		this.contextRunner
			.withUserConfiguration(MicrometerAnnotatedConfiguration.class, MicrometerAspectsConfiguration.class)
			.run((context) -> {
				MicrometerAnnotated annotated = context.getBean(MicrometerAnnotated.class);
				annotated.work();
				annotated.count();
				MeterRegistry registry = context.getBean(MeterRegistry.class);
				assertThat(registry.find("mm.work").timer()).isNotNull();
				assertThat(registry.find("mm.count").counter()).isNotNull();
			});
		assertThat(output).doesNotContain(WARNING);
	}

	@Test
	void warnsAboutAMethodAJdkProxyDoesNotExpose(CapturedOutput output) {
		this.contextRunner.withUserConfiguration(GreeterConfiguration.class)
			.withPropertyValues("spring.aop.proxy-target-class=false")
			.run((context) -> assertThat(AopUtils.isJdkDynamicProxy(context.getBean(Greeter.class))).isTrue());
		assertThat(warnings(output)).singleElement()
			.asString()
			.contains(GreetingService.class.getName() + ".extra(): the bean is a JDK dynamic proxy "
					+ "(spring.aop.proxy-target-class=false) and no interface it implements declares the method")
			.doesNotContain(".greet()");
	}

	@Test
	void warnsSeparatelyAboutABeanCreatedAfterStartUp(CapturedOutput output) {
		this.contextRunner.withUserConfiguration(LazyConfiguration.class).run((context) -> {
			assertThat(output).doesNotContain(WARNING);
			context.getBean(LateService.class);
			assertThat(warnings(output)).singleElement().asString().contains(LateService.class.getName() + ".hidden()");
		});
	}

	@Test
	void timesSuccessfulInvocationStraightIntoTheClient() {
		run((service, client) -> {
			assertThat(service.work(false)).isEqualTo("done");
			assertThat(client.pipelines()).isEmpty();
			assertThat(client.names()).containsExactly("svc.work", "svc.work.success");
		});
	}

	@Test
	void timesFailedInvocationAndRethrows() {
		run((service, client) -> {
			assertThatIllegalStateException().isThrownBy(() -> service.work(true));
			assertThat(client.names()).containsExactly("svc.work", "svc.work.error",
					"svc.work.error.IllegalStateException");
		});
	}

	@Test
	void defaultNameIsSimpleClassNameAndMethod() {
		run((service, client) -> {
			service.plain();
			assertThat(client.names()).containsExactly("Service.plain", "Service.plain.success");
		});
	}

	@Test
	void completableFutureIsTimedToCompletion() {
		run((service, client) -> {
			CompletableFuture<String> future = service.later(200);
			assertThat(client.recorded()).isEmpty();
			assertThat(future.get(5, TimeUnit.SECONDS)).isEqualTo("later");
			await().atMost(Duration.ofSeconds(5)).until(() -> !client.named("Service.later").isEmpty());
			assertThat(client.named("Service.later").get(0).value()).isGreaterThanOrEqualTo(200d);
			assertThat(client.names()).containsExactly("Service.later", "Service.later.success");
		});
	}

	@Test
	void cancelledFutureCountsAsCancelled() {
		run((service, client) -> {
			service.later(5_000).cancel(true);
			assertThat(client.names()).containsExactly("Service.later", "Service.later.cancelled");
		});
	}

	@Test
	void monoIsTimedFromSubscriptionToCompletion() {
		run((service, client) -> {
			Mono<String> mono = service.mono(false);
			assertThat(client.recorded()).isEmpty();
			StepVerifier.create(mono).expectNext("mono").verifyComplete();
			assertThat(client.names()).containsExactly("Service.mono", "Service.mono.success");
			assertThat(client.named("Service.mono").get(0).value()).isGreaterThanOrEqualTo(100d);
		});
	}

	@Test
	void failedMonoIsRecordedAsError() {
		run((service, client) -> {
			StepVerifier.create(service.mono(true)).verifyError(IllegalArgumentException.class);
			assertThat(client.names()).containsExactly("Service.mono", "Service.mono.error",
					"Service.mono.error.IllegalArgumentException");
		});
	}

	@Test
	void fluxIsTimedToCompletionOrCancel() {
		run((service, client) -> {
			StepVerifier.create(service.flux()).expectNext(1, 2, 3).verifyComplete();
			assertThat(client.names()).containsExactly("Service.flux", "Service.flux.success");
			client.clear();
			StepVerifier.create(service.flux()).expectNext(1).thenCancel().verify();
			assertThat(client.names()).containsExactly("Service.flux", "Service.flux.cancelled");
		});
	}

	@Test
	void countedCountsEveryInvocationAndFailures() {
		run((service, client) -> {
			service.counted(false);
			assertThatIllegalStateException().isThrownBy(() -> service.counted(true));
			assertThat(client.names()).containsExactly("svc.calls", "svc.calls", "svc.calls.error",
					"svc.calls.error.IllegalStateException");
		});
	}

	@Test
	void countedWithFailuresOnlyCountsOnlyFailures() {
		run((service, client) -> {
			service.failures(false);
			assertThat(client.recorded()).isEmpty();
			assertThatIllegalStateException().isThrownBy(() -> service.failures(true));
			assertThat(client.names()).containsExactly("svc.failures.error",
					"svc.failures.error.IllegalStateException");
		});
	}

	@Test
	void typeLevelAnnotationCoversPublicMethods() {
		this.contextRunner.withUserConfiguration(ServiceConfiguration.class).run((context) -> {
			TypedService typed = context.getBean(TypedService.class);
			CapturingStatsClient client = context.getBean(CapturingStatsClient.class);
			typed.one();
			typed.two();
			assertThat(client.names()).containsExactly("typed.one", "typed.one.success", "typed.two",
					"typed.two.success");
		});
	}

	@Test
	void warnsOnceNamingEachMethodTheProxyCannotIntercept(CapturedOutput output) {
		this.contextRunner.withUserConfiguration(ServiceConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed();
			context.getBean(Service.class).callsHidden();
		});
		String name = Service.class.getName();
		assertThat(warnings(output)).singleElement()
			.asString()
			.contains("@io.heare.stats.annotation.Timed on " + name
					+ ".hidden(): Spring AOP proxies cannot intercept private methods; make it a public, non-final "
					+ "instance method of a non-final class and call it through the Spring bean")
			.contains(name + ".sealed(): Spring AOP proxies cannot intercept final methods")
			.contains(name + ".utility(): Spring AOP proxies cannot intercept static methods")
			.contains(FinalService.class.getName() + ".work(): its class is final")
			.doesNotContain(".work(boolean)")
			.doesNotContain(TypedService.class.getName());
		assertThat(output).containsOnlyOnce(name + ".hidden()");
	}

	@Test
	void finalClassIsLeftUnproxied() {
		this.contextRunner.withUserConfiguration(ServiceConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed();
			assertThat(AopUtils.isAopProxy(context.getBean(FinalService.class))).isFalse();
		});
	}

	@Test
	void metricsFailuresNeverReachTheCaller() {
		this.contextRunner.withUserConfiguration(FailingClientConfiguration.class).run((context) -> {
			assertThat(context.getBean(Service.class).work(false)).isEqualTo("done");
		});
	}

	private void run(ServiceTest test) {
		this.contextRunner.withUserConfiguration(ServiceConfiguration.class).run((context) -> {
			assertThat(AopUtils.isAopProxy(context.getBean(Service.class))).isTrue();
			test.run(context.getBean(Service.class), context.getBean(CapturingStatsClient.class));
		});
	}

	private ApplicationContextRunner withAspectJ(boolean aspectJ) {
		return aspectJ ? this.contextRunner
				: this.contextRunner.withClassLoader(new FilteredClassLoader("org.aspectj"));
	}

	private static List<String> warnings(CapturedOutput output) {
		return Pattern.compile("(?m)^(?=\\S)")
			.splitAsStream(output.getOut())
			.filter((entry) -> entry.contains(WARNING))
			.toList();
	}

	@FunctionalInterface
	interface ServiceTest {

		void run(Service service, CapturingStatsClient client) throws Exception;

	}

	@Configuration(proxyBeanMethods = false)
	static class ServiceConfiguration {

		@Bean
		CapturingStatsClient statsClient() {
			return new CapturingStatsClient();
		}

		@Bean
		Service service() {
			return new Service();
		}

		@Bean
		TypedService typedService() {
			return new TypedService();
		}

		@Bean
		FinalService finalService() {
			return new FinalService();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class FailingClientConfiguration {

		@Bean
		StatsClient statsClient() {
			return new CapturingStatsClient() {

				@Override
				public void time(String name, double millis) {
					throw new IllegalStateException("broken client");
				}

				@Override
				public void incr(String name, double value) {
					throw new IllegalStateException("broken client");
				}

				@Override
				public io.heare.stats.client.Pipeline pipeline() {
					throw new IllegalStateException("broken client");
				}

			};
		}

		@Bean
		Service service() {
			return new Service();
		}

	}

	// Public: the tests without AspectJ define the CGLIB subclass in a
	// FilteredClassLoader.
	public static class Service {

		@Timed("svc.work")
		public String work(boolean fail) {
			if (fail) {
				throw new IllegalStateException("failed");
			}
			return "done";
		}

		@Timed
		public void plain() {
		}

		@Timed
		public CompletableFuture<String> later(long millis) {
			return CompletableFuture.supplyAsync(() -> "later",
					CompletableFuture.delayedExecutor(millis, TimeUnit.MILLISECONDS));
		}

		@Timed
		public Mono<String> mono(boolean fail) {
			return fail ? Mono.error(new IllegalArgumentException("bad"))
					: Mono.just("mono").delayElement(Duration.ofMillis(100));
		}

		@Timed
		public Flux<Integer> flux() {
			return Flux.just(1, 2, 3);
		}

		@Counted("svc.calls")
		public void counted(boolean fail) {
			if (fail) {
				throw new IllegalStateException("failed");
			}
		}

		@Counted(value = "svc.failures", failuresOnly = true)
		public void failures(boolean fail) {
			if (fail) {
				throw new IllegalStateException("failed");
			}
		}

		public void callsHidden() {
			hidden();
		}

		@Timed
		private void hidden() {
		}

		@Timed
		public final void sealed() {
		}

		@Timed
		public static void utility() {
		}

	}

	@Timed("typed")
	public static class TypedService {

		public void one() {
		}

		public void two() {
		}

	}

	static final class FinalService {

		@Timed
		public void work() {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class GreeterConfiguration {

		@Bean
		CapturingStatsClient statsClient() {
			return new CapturingStatsClient();
		}

		@Bean
		GreetingService greeter() {
			return new GreetingService();
		}

	}

	public interface Greeter {

		String greet();

	}

	public static class GreetingService implements Greeter {

		@Override
		@Timed("greet")
		public String greet() {
			return "hello";
		}

		@Timed("extra")
		public void extra() {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class MicrometerAnnotatedConfiguration {

		@Bean
		MicrometerAnnotated micrometerAnnotated() {
			return new MicrometerAnnotated();
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class MicrometerAspectsConfiguration {

		@Bean
		SimpleMeterRegistry meterRegistry() {
			return new SimpleMeterRegistry();
		}

		@Bean
		TimedAspect timedAspect(MeterRegistry registry) {
			return new TimedAspect(registry);
		}

		@Bean
		CountedAspect countedAspect(MeterRegistry registry) {
			return new CountedAspect(registry);
		}

	}

	static class MicrometerAnnotated {

		@io.micrometer.core.annotation.Timed("mm.work")
		public void work() {
		}

		@io.micrometer.core.annotation.Counted("mm.count")
		public void count() {
		}

	}

	@Configuration(proxyBeanMethods = false)
	static class LazyConfiguration {

		@Bean
		CapturingStatsClient statsClient() {
			return new CapturingStatsClient();
		}

		@Bean
		@Lazy
		LateService lateService() {
			return new LateService();
		}

	}

	static class LateService {

		@Timed
		private void hidden() {
		}

	}

}
