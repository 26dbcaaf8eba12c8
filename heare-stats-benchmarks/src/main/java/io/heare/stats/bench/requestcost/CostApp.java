package io.heare.stats.bench.requestcost;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.TreeSet;

import jakarta.servlet.ServletContext;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.config.BeanPostProcessor;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.boot.autoconfigure.condition.ConditionalOnBooleanProperty;
import org.springframework.boot.web.servlet.FilterRegistrationBean;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RequestParam;
import org.springframework.web.bind.annotation.RestController;

import io.heare.stats.servlet.HeareStatsServletFilter;

/**
 * The application {@link RequestCost} measures: Tomcat, {@code GET /users/{id}} and a
 * timed {@code POST /orders/{id}}, plus {@code GET /internal/snapshot}, which reports the
 * bytes the JVM's threads have allocated so far, the JIT's compilation time so far, the
 * CPU time and allocation of the threads that deliver metrics (ours: the sender and the
 * JDK HTTP client's threads; Micrometer's StatsD publisher), and what instruments the
 * requests (the servlet filters, whether the controller is advised), so that the driver
 * can check that each variant is the one it claims to be.
 * <p>
 * With {@code --cost.switchable=true} our filter runs behind a {@link SwitchableFilter},
 * which {@code GET /internal/switch?on=...} turns on and off while the application runs:
 * the driver then measures our cost within one JVM, whose code around the filter is the
 * same in both states, and {@code GET /internal/allocated} reports the bytes allocated so
 * far by every thread but the metrics threads that the last snapshot found, and the
 * requests the switchable filter has completed, without the rest of the snapshot.
 */
@SpringBootApplication
public class CostApp {

	public static void main(String[] args) {
		loadBufferSignatureClass();
		SpringApplication.run(CostApp.class, args);
	}

	// On Java 17 the constructors of the heap buffers take a
	// jdk.internal.access.foreign.MemorySegmentProxy, and C2 inlines no method whose
	// signature names a class not yet loaded. Whether the JVM has loaded it by the time
	// C2 compiles Tomcat's header writing decides whether the buffers Tomcat's
	// MessageBytes.toBytes allocates per header are eliminated, about 550 B per request
	// either way, at random between runs of the same build. Loading it first makes every
	// run of every variant take the same branch. The class does not exist on Java 25.
	private static void loadBufferSignatureClass() {
		try {
			Class.forName("jdk.internal.access.foreign.MemorySegmentProxy", false, null);
		}
		catch (ClassNotFoundException ex) {
			// Not Java 17.
		}
	}

	/**
	 * Puts our filter behind a {@link SwitchableFilter}, keeping its registration (order,
	 * dispatcher types, URL patterns); with the system property
	 * {@code cost.empty-filter=true}, an {@link EmptyFilter} in its place.
	 * @return the post-processor
	 */
	@Bean
	@ConditionalOnBooleanProperty("cost.switchable")
	static BeanPostProcessor switchableHeareFilter() {
		return new BeanPostProcessor() {

			@Override
			@SuppressWarnings({ "rawtypes", "unchecked" })
			public Object postProcessAfterInitialization(Object bean, String beanName) {
				if (bean instanceof FilterRegistrationBean registration
						&& registration.getFilter() instanceof HeareStatsServletFilter filter) {
					registration.setFilter(
							new SwitchableFilter(Boolean.getBoolean("cost.empty-filter") ? new EmptyFilter() : filter));
				}
				return bean;
			}

		};
	}

	// The metrics threads /internal/snapshot last found.
	private static volatile long[] metricsThreadIds = new long[0];

	@RestController
	static class Endpoints {

		private final ServletContext servletContext;

		private final ApplicationContext context;

		Endpoints(ServletContext servletContext, ApplicationContext context) {
			this.servletContext = servletContext;
			this.context = context;
		}

		@GetMapping("/users/{id}")
		String user(@PathVariable("id") long id) {
			return "{\"id\":" + id + ",\"name\":\"user-" + id + "\"}";
		}

		// Both annotations: each variant turns on at most one of the two aspects.
		@io.heare.stats.annotation.Timed("orders.create")
		@io.micrometer.core.annotation.Timed("orders.create")
		@PostMapping("/orders/{id}")
		String order(@PathVariable("id") long id, @RequestBody String body) {
			return "{\"order\":" + id + ",\"accepted\":" + body.length() + "}";
		}

		@GetMapping("/internal/switch")
		String switchTo(@RequestParam("on") boolean on) {
			SwitchableFilter.on = on;
			return "on " + on + "\n";
		}

		// The bytes without what the metrics threads allocated: they post what a window
		// recorded in whichever window follows, so the switched measurement takes their
		// bytes from the snapshots around the whole run. Their ids come from the last
		// snapshot, which the measurement asks for before its first window.
		@GetMapping("/internal/allocated")
		String allocated() {
			long completed = SwitchableFilter.completed.get();
			com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
				.getThreadMXBean();
			long allocated = threads.getTotalThreadAllocatedBytes();
			for (long id : metricsThreadIds) {
				allocated -= Math.max(0, threads.getThreadAllocatedBytes(id));
			}
			return allocated + " " + completed + "\n";
		}

		@GetMapping("/internal/snapshot")
		String snapshot() {
			com.sun.management.ThreadMXBean threads = (com.sun.management.ThreadMXBean) ManagementFactory
				.getThreadMXBean();
			TreeSet<String> filters = new TreeSet<>();
			this.servletContext.getFilterRegistrations().values().forEach((r) -> filters.add(r.getClassName()));
			Object controller = this.context.getBean(Endpoints.class);
			long metricsCpu = 0;
			long metricsAllocated = 0;
			List<Long> metricsIds = new ArrayList<>();
			for (java.lang.management.ThreadInfo thread : threads.getThreadInfo(threads.getAllThreadIds())) {
				if (thread != null && isMetricsThread(thread.getThreadName())) {
					metricsCpu += Math.max(0, threads.getThreadCpuTime(thread.getThreadId()));
					metricsAllocated += Math.max(0, threads.getThreadAllocatedBytes(thread.getThreadId()));
					metricsIds.add(thread.getThreadId());
				}
			}
			metricsThreadIds = metricsIds.stream().mapToLong(Long::longValue).toArray();
			return "allocated " + threads.getTotalThreadAllocatedBytes() + "\n" + "metricsCpu " + metricsCpu + "\n"
					+ "metricsAllocated " + metricsAllocated + "\n" + "compiling "
					+ ManagementFactory.getCompilationMXBean().getTotalCompilationTime() + "\n" + "advised "
					+ AopUtils.isAopProxy(controller) + "\n" + "thread " + Thread.currentThread().getClass().getName()
					+ "\n" + "filters " + String.join(",", filters) + "\n";
		}

	}

	/**
	 * Whether a thread of this name delivers metrics: our sender, the JDK HTTP client's
	 * threads, Micrometer's StatsD publisher, Reactor Netty's. Also true of the names as
	 * {@code /proc/<pid>/task/<tid>/comm} cuts them to 15 characters. Threads that end
	 * (an idle pool thread of the HTTP client) take their CPU time with them: what they
	 * did is a lower bound.
	 * @param name the thread's name
	 * @return whether it delivers metrics
	 */
	static boolean isMetricsThread(String name) {
		return name.startsWith("heare-stats-") || name.startsWith("HttpClient-") || name.contains("statsd")
				|| name.startsWith("reactor-");
	}

}
