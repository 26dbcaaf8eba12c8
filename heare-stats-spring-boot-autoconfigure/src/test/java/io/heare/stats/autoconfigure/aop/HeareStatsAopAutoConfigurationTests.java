package io.heare.stats.autoconfigure.aop;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import reactor.core.publisher.Flux;
import reactor.core.publisher.Mono;
import reactor.test.StepVerifier;

import org.springframework.aop.support.AopUtils;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.test.context.FilteredClassLoader;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;

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

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HeareStatsAopAutoConfiguration.class));

	@Test
	void backsOffWithoutAStatsClient() {
		this.contextRunner.run((context) -> assertThat(context).doesNotHaveBean(StatsAnnotationAdvisor.class));
	}

	@Test
	void backsOffWhenDisabled() {
		this.contextRunner.withUserConfiguration(ServiceConfiguration.class)
			.withPropertyValues("heare.stats.aop.enabled=false")
			.run((context) -> {
				assertThat(context).doesNotHaveBean(StatsAnnotationAdvisor.class);
				assertThat(AopUtils.isAopProxy(context.getBean(Service.class))).isFalse();
			});
	}

	@Test
	void backsOffWithoutAspectJ() {
		this.contextRunner.withUserConfiguration(ServiceConfiguration.class)
			.withClassLoader(new FilteredClassLoader("org.aspectj.weaver"))
			.run((context) -> assertThat(context).doesNotHaveBean(StatsAnnotationAdvisor.class));
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
	void warnsOnceForEachMethodTheProxyCannotIntercept(CapturedOutput output) {
		this.contextRunner.withUserConfiguration(ServiceConfiguration.class).run((context) -> {
			assertThat(context).hasNotFailed();
			context.getBean(Service.class).callsHidden();
		});
		assertThat(output).containsOnlyOnce("Service.hidden() has no effect: Spring AOP proxies cannot intercept private")
			.containsOnlyOnce("Service.sealed() has no effect: Spring AOP proxies cannot intercept final")
			.containsOnlyOnce("Service.utility() has no effect: Spring AOP proxies cannot intercept static")
			.containsOnlyOnce("FinalService.work() has no effect: its class is final")
			.doesNotContain("Service.work(boolean) has no effect");
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

	static class Service {

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
	static class TypedService {

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

}
