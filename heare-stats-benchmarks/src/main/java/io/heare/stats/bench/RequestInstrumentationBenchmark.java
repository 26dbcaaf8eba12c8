package io.heare.stats.bench;

import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.Supplier;

import io.heare.stats.annotation.Timed;
import io.heare.stats.aop.StatsAnnotationAdvisor;
import io.heare.stats.client.HttpClient;
import io.heare.stats.client.Protocol;
import io.heare.stats.client.StatsClient;
import io.heare.stats.client.StatsClientConfig;
import io.heare.stats.client.Telemetry;
import io.heare.stats.servlet.HeareStatsServletFilter;
import io.heare.stats.web.ExcludedPaths;
import io.heare.stats.web.HttpServerMetrics;
import jakarta.servlet.ServletException;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.springframework.aop.framework.ProxyFactory;
import org.springframework.beans.factory.support.DefaultListableBeanFactory;
import org.springframework.mock.web.MockFilterChain;
import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.util.function.SingletonSupplier;
import org.springframework.web.servlet.HandlerMapping;

/**
 * What our request instrumentation adds to one request of a trivial endpoint, as the
 * difference between a measured variant and its baseline in the same run:
 * <ul>
 * <li>{@link #baseline}: a {@link MockFilterChain} straight to a trivial servlet that
 * calls a trivial service, without our filter;
 * <li>{@link #filter}: the same chain with {@link HeareStatsServletFilter} in front;
 * <li>{@link #filterAndAdvice}: the filter, and the servlet calls the service through a
 * Spring AOP proxy carrying our {@link StatsAnnotationAdvisor} ({@link Timed @Timed});
 * <li>{@link #plainCall} and {@link #advisedCall}: the {@code @Timed} method called on
 * the plain target and through the proxy, without any servlet around it.
 * </ul>
 * {@link #BASELINES} pairs each measured variant with its baseline; {@link ReportTable}
 * prints the differences as the "instrumentation" section.
 * <p>
 * Everything records into our real {@link HttpClient}, whose sender thread really runs,
 * reached the way the auto-configuration reaches it (an {@code ObjectProvider} asked on
 * every request). {@code sink} chooses what the client sends to: {@code loopback}, a
 * {@link LoopbackHttpSink} that answers at once; {@code unresponsive}, a server that
 * accepts connections and never answers; {@code closed}, a port nobody listens on. The
 * request thread must not notice the difference: recording only aggregates in memory.
 * <p>
 * The mock request, response and chain are made once per thread and reset before every
 * request, in the baseline exactly as in the measured variants, so their construction
 * does not drown the few hundred nanoseconds being measured.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@Fork(1)
@Threads(1)
public class RequestInstrumentationBenchmark {

	/** Measured variant to its baseline (method names), in report order. */
	public static final Map<String, String> BASELINES;

	static {
		Map<String, String> baselines = new LinkedHashMap<>();
		baselines.put("filter", "baseline");
		baselines.put("filterAndAdvice", "baseline");
		baselines.put("advisedCall", "plainCall");
		BASELINES = Collections.unmodifiableMap(baselines);
	}

	/**
	 * The route template the trivial endpoint claims, as Spring MVC's handler mapping
	 * would.
	 */
	static final String ROUTE = "/greet/{name}";

	static final String PATH = "/greet/world";

	@Benchmark
	public int baseline(PlainExchange x) throws IOException, ServletException {
		return x.run(x.chain);
	}

	@Benchmark
	public int filter(InstrumentedExchange x) throws IOException, ServletException {
		return x.run(x.filterChain);
	}

	@Benchmark
	public int filterAndAdvice(InstrumentedExchange x) throws IOException, ServletException {
		return x.run(x.filterAndAdviceChain);
	}

	@Benchmark
	public String plainCall(Plain p) {
		return p.greeter.greet();
	}

	@Benchmark
	public String advisedCall(Instrumented i) {
		return i.advisedGreeter.greet();
	}

	/**
	 * The trivial service. Not final and public, so that the CGLIB proxy Spring Boot
	 * makes by default ({@code proxyTargetClass}) can subclass it.
	 */
	public static class Greeter {

		@Timed("bench.greet")
		public String greet() {
			return "hello";
		}

	}

	/**
	 * The trivial endpoint: sets the route attribute Spring MVC would, calls the service,
	 * answers 200 with a Content-Length, and writes nothing (writing would commit the
	 * mock response, which then cannot be reset for reuse).
	 */
	static final class GreetingServlet extends HttpServlet {

		private static final long serialVersionUID = 1L;

		private final transient Greeter greeter;

		GreetingServlet(Greeter greeter) {
			this.greeter = greeter;
		}

		@Override
		protected void service(HttpServletRequest request, HttpServletResponse response) {
			request.setAttribute(HandlerMapping.BEST_MATCHING_PATTERN_ATTRIBUTE, ROUTE);
			String body = this.greeter.greet();
			response.setStatus(200);
			response.setContentLength(body.length());
		}

	}

	/**
	 * The uninstrumented endpoint and service, shared by all threads like a servlet is.
	 */
	@State(Scope.Benchmark)
	public static class Plain {

		public final Greeter greeter = new Greeter();

		public final GreetingServlet servlet = new GreetingServlet(this.greeter);

	}

	/**
	 * Our client, filter and advised service, shared by all threads, recording into an
	 * {@link HttpClient} that sends to the far end chosen by {@link #sink}.
	 */
	@State(Scope.Benchmark)
	public static class Instrumented {

		@Param({ "loopback", "unresponsive", "closed" })
		public String sink;

		public HeareStatsServletFilter filter;

		public GreetingServlet plainServlet;

		public GreetingServlet advisedServlet;

		public Greeter advisedGreeter;

		private StatsClient client;

		private LoopbackHttpSink loopback;

		private SilentServer silent;

		@Setup(Level.Trial)
		public void setUp() throws IOException {
			int port;
			switch (this.sink) {
				case "loopback" -> {
					this.loopback = new LoopbackHttpSink();
					port = this.loopback.port();
				}
				case "unresponsive" -> {
					this.silent = new SilentServer();
					port = this.silent.port();
				}
				case "closed" -> port = closedPort();
				default ->
					throw new IllegalArgumentException("sink: loopback, unresponsive or closed, not " + this.sink);
			}
			// Created here rather than through HeareClients: this measures the
			// instrumentation, not a comparison with the peers, and HttpClient already
			// exists. Builder defaults, as the auto-configuration has without properties;
			// plain http to the loopback port. The close timeout only shortens the
			// teardown against a far end that never answers.
			this.client = StatsClient.create(StatsClientConfig.builder()
				.protocol(Protocol.HTTP)
				.destHost("127.0.0.1")
				.destPort(port)
				.set(StatsClientConfig.HTTP_SCHEME, "http")
				.secret("bench-secret")
				.set(StatsClientConfig.CLOSE_TIMEOUT, Duration.ofSeconds(1))
				.build());
			if (this.loopback != null) {
				// Proves the sender is running and delivering before anything is
				// measured.
				this.client.incr("warmup.heare");
				if (!this.client.flush() || this.loopback.requests() == 0) {
					throw new IllegalStateException("the client did not deliver to the loopback sink");
				}
			}
			Supplier<StatsClient> provider = objectProvider(this.client);
			this.filter = new HeareStatsServletFilter(new HttpServerMetrics(provider, "http.server"),
					new ExcludedPaths(List.of("/actuator/**")));
			ProxyFactory proxyFactory = new ProxyFactory(new Greeter());
			proxyFactory.setProxyTargetClass(true);
			proxyFactory.addAdvisor(new StatsAnnotationAdvisor(provider));
			this.advisedGreeter = (Greeter) proxyFactory.getProxy(Greeter.class.getClassLoader());
			this.plainServlet = new GreetingServlet(new Greeter());
			this.advisedServlet = new GreetingServlet(this.advisedGreeter);
		}

		@TearDown(Level.Trial)
		public void tearDown() {
			Telemetry t = this.client.telemetry();
			System.out.printf(
					"%n[client] sink=%s: recorded %d, sent %d in %d requests, failures %d, dropped %d,"
							+ " pending %d, last error %s%n",
					this.sink, t.recorded(), t.sentMetrics(), t.requests(), t.failures(), t.droppedTotal(), t.pending(),
					t.lastErrorMessage());
			// An unresponsive or closed far end makes close() wait for its close timeout:
			// the benchmark is over by then, so that wait is not measured.
			this.client.close();
			if (this.loopback != null) {
				System.out.printf("[sink] loopback: %d requests, %d body bytes%n", this.loopback.requests(),
						this.loopback.bodyBytes());
				this.loopback.close();
			}
			if (this.silent != null) {
				System.out.printf("[sink] unresponsive: %d connections accepted, never answered%n",
						this.silent.accepted());
				this.silent.close();
			}
		}

		/**
		 * The client as the auto-configuration hands it to the filter and the advisor: a
		 * {@link SingletonSupplier} over the bean factory's provider, which looks the
		 * bean up on the first request and keeps it.
		 */
		private static Supplier<StatsClient> objectProvider(StatsClient client) {
			DefaultListableBeanFactory beanFactory = new DefaultListableBeanFactory();
			beanFactory.registerSingleton("statsClient", client);
			return SingletonSupplier.of(beanFactory.getBeanProvider(StatsClient.class)::getObject);
		}

		/** A loopback port that was free a moment ago: connecting to it is refused. */
		private static int closedPort() throws IOException {
			try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
				return socket.getLocalPort();
			}
		}

	}

	/** One thread's reusable request, response and chain to the plain servlet. */
	@State(Scope.Thread)
	public static class PlainExchange {

		final MockHttpServletRequest request = new MockHttpServletRequest("GET", PATH);

		final MockHttpServletResponse response = new MockHttpServletResponse();

		MockFilterChain chain;

		@Setup(Level.Trial)
		public void setUp(Plain plain) {
			this.chain = new MockFilterChain(plain.servlet);
		}

		int run(MockFilterChain chain) throws IOException, ServletException {
			return RequestInstrumentationBenchmark.run(this.request, this.response, chain);
		}

	}

	/** One thread's reusable request, response and chains through our filter. */
	@State(Scope.Thread)
	public static class InstrumentedExchange {

		final MockHttpServletRequest request = new MockHttpServletRequest("GET", PATH);

		final MockHttpServletResponse response = new MockHttpServletResponse();

		MockFilterChain filterChain;

		MockFilterChain filterAndAdviceChain;

		@Setup(Level.Trial)
		public void setUp(Instrumented instrumented) {
			this.filterChain = new MockFilterChain(instrumented.plainServlet, instrumented.filter);
			this.filterAndAdviceChain = new MockFilterChain(instrumented.advisedServlet, instrumented.filter);
		}

		int run(MockFilterChain chain) throws IOException, ServletException {
			return RequestInstrumentationBenchmark.run(this.request, this.response, chain);
		}

	}

	/**
	 * One request. The reset is needed, not only cheap: our filter keeps its per-request
	 * state in a request attribute, and a reused request that still carried it would be
	 * taken for a second dispatch of the same request and not recorded.
	 */
	static int run(MockHttpServletRequest request, MockHttpServletResponse response, MockFilterChain chain)
			throws IOException, ServletException {
		request.clearAttributes();
		response.reset();
		chain.reset();
		chain.doFilter(request, response);
		return response.getStatus();
	}

	/**
	 * An HTTP server on 127.0.0.1 that accepts every connection and then neither reads
	 * nor answers, so each request of our client waits for its timeout.
	 */
	static final class SilentServer implements AutoCloseable {

		private final ServerSocket server;

		private final List<Socket> held = Collections.synchronizedList(new ArrayList<>());

		private final Thread acceptor;

		SilentServer() throws IOException {
			this.server = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
			this.acceptor = new Thread(this::accept, "silent-server");
			this.acceptor.setDaemon(true);
			this.acceptor.start();
		}

		private void accept() {
			try {
				while (!this.server.isClosed()) {
					// Kept open and unread: the client sees a connection that never
					// answers, not a reset.
					this.held.add(this.server.accept());
				}
			}
			catch (IOException ex) {
				// Closed by close().
			}
		}

		int port() {
			return this.server.getLocalPort();
		}

		int accepted() {
			return this.held.size();
		}

		@Override
		public void close() {
			try {
				this.server.close();
				synchronized (this.held) {
					for (Socket socket : this.held) {
						socket.close();
					}
				}
			}
			catch (IOException ex) {
				// Nothing to do at the end of a benchmark.
			}
		}

	}

}
