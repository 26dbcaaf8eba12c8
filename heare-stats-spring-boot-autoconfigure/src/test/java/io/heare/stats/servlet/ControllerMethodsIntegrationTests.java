package io.heare.stats.servlet;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;
import java.util.concurrent.Callable;

import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.aop.support.AopUtils;
import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.boot.autoconfigure.EnableAutoConfiguration;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.boot.test.web.server.LocalServerPort;
import org.springframework.context.annotation.Bean;
import org.springframework.context.annotation.Configuration;
import org.springframework.http.HttpStatus;
import org.springframework.http.ResponseEntity;
import org.springframework.web.bind.annotation.ExceptionHandler;
import org.springframework.web.bind.annotation.GetMapping;
import org.springframework.web.bind.annotation.PathVariable;
import org.springframework.web.bind.annotation.PostMapping;
import org.springframework.web.bind.annotation.RequestBody;
import org.springframework.web.bind.annotation.RestController;

import io.heare.stats.annotation.Counted;
import io.heare.stats.annotation.Timed;
import io.heare.stats.aop.ControllerMethods;
import io.heare.stats.testsupport.CapturingStatsClient;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

/**
 * Integration tests for {@link ControllerMethods}: on an embedded Tomcat, the servlet
 * filter records {@code @Timed} and {@code @Counted} for the handler method that served
 * each request, and the advice leaves controllers unproxied.
 */
@SpringBootTest(classes = ControllerMethodsIntegrationTests.MvcApplication.class,
		webEnvironment = WebEnvironment.RANDOM_PORT)
@ExtendWith(OutputCaptureExtension.class)
class ControllerMethodsIntegrationTests {

	private final HttpClient http = HttpClient.newHttpClient();

	@LocalServerPort
	private int port;

	@Autowired
	private CapturingStatsClient client;

	@Autowired
	private OrderController controller;

	@Autowired
	private InvoiceService invoices;

	@BeforeEach
	void clearCapturedMetrics() {
		this.client.clear();
	}

	@Test
	void controllersAreNotProxiedWhileOtherBeansStillAre() {
		assertThat(AopUtils.isAopProxy(this.controller)).isFalse();
		assertThat(AopUtils.isAopProxy(this.invoices)).isTrue();
	}

	@Test
	void aTimedHandlerMethodIsTimedOncePerRequestWithItsOutcome() throws Exception {
		assertThat(get("/orders/7").body()).isEqualTo("order-7");
		assertThat(get("/orders/8").body()).isEqualTo("order-8");
		await().atMost(Duration.ofSeconds(5)).until(() -> this.client.named("orders.get.success").size() == 2);
		assertThat(this.client.named("orders.get")).hasSize(2).allSatisfy((timer) -> {
			assertThat(timer.kind()).isEqualTo("timer");
			assertThat(timer.value()).isGreaterThanOrEqualTo(0d);
		});
		assertThat(this.client.names()).noneMatch((name) -> name.startsWith("orders.get.error"));
	}

	@Test
	void theTimerCoversTheRequestTheMethodServed() throws Exception {
		assertThat(get("/orders/slow").body()).isEqualTo("slow");
		await().atMost(Duration.ofSeconds(5)).until(() -> this.client.named("orders.slow.success").size() == 1);
		assertThat(this.client.named("orders.slow").get(0).value()).isGreaterThanOrEqualTo(200d);
		assertThat(this.client.named("orders.slow").get(0).value()).isEqualTo(
				this.client.named("http.server.route.GET.orders_slow.time").get(0).value(),
				org.assertj.core.data.Offset.offset(50d));
	}

	@Test
	void anExceptionThatEscapesCountsAsTheMethodsError() throws Exception {
		assertThat(get("/orders/boom").statusCode()).isEqualTo(500);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.client.named("orders.boom.error.IllegalStateException").size() == 1);
		assertThat(this.client.named("orders.boom")).hasSize(1);
		assertThat(this.client.named("orders.boom.error")).hasSize(1);
		assertThat(this.client.names()).doesNotContain("orders.boom.success");
	}

	@Test
	void anExceptionAHandlerTurnedIntoAResponseCountsAsTheMethodsError() throws Exception {
		assertThat(get("/orders/bad").statusCode()).isEqualTo(400);
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.client.named("orders.bad.error.IllegalArgumentException").size() == 1);
		assertThat(this.client.names()).doesNotContain("orders.bad.success");
	}

	@Test
	void countedAndTypeLevelAnnotationsApplyToHandlerMethods() throws Exception {
		assertThat(post("/orders", "{}").statusCode()).isEqualTo(200);
		await().atMost(Duration.ofSeconds(5)).until(() -> this.client.named("orders.placed").size() == 1);
		assertThat(get("/audit/1").body()).isEqualTo("audit-1");
		await().atMost(Duration.ofSeconds(5)).until(() -> this.client.named("audit.entry.success").size() == 1);
		assertThat(this.client.named("audit.entry")).hasSize(1);
	}

	@Test
	void aRequestOfAnUnannotatedHandlerRecordsNoMethodMetrics() throws Exception {
		assertThat(get("/plain").body()).isEqualTo("plain");
		await().atMost(Duration.ofSeconds(5))
			.until(() -> this.client.named("http.server.route.GET.plain.time").size() == 1);
		assertThat(this.client.names()).allMatch((name) -> name.startsWith("http.server."));
	}

	@Test
	void aServiceCalledByAControllerIsStillMeasuredByItsProxy() throws Exception {
		assertThat(get("/orders/7/invoice").body()).isEqualTo("invoice-7");
		await().atMost(Duration.ofSeconds(5)).until(() -> this.client.named("invoices.render.success").size() == 1);
		assertThat(this.client.named("orders.invoice.success")).hasSize(1);
	}

	@Test
	void aTimedControllerMethodThatHandlesNoRequestIsReportedAtStartUp(CapturedOutput output) {
		assertThat(output).contains("@" + Timed.class.getName() + " on " + OrderController.class.getName()
				+ ".helper(): the request filter measures a controller's request handler methods only");
		assertThat(output).doesNotContain(OrderController.class.getName() + ".get(");
	}

	private HttpResponse<String> get(String path) throws Exception {
		return this.http.send(request(path).build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpResponse<String> post(String path, String body) throws Exception {
		return this.http.send(request(path).header("Content-Type", "application/json")
			.POST(HttpRequest.BodyPublishers.ofString(body))
			.build(), HttpResponse.BodyHandlers.ofString());
	}

	private HttpRequest.Builder request(String path) {
		return HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + this.port + path))
			.timeout(Duration.ofSeconds(10));
	}

	@Configuration(proxyBeanMethods = false)
	@EnableAutoConfiguration
	static class MvcApplication {

		@Bean
		CapturingStatsClient statsClient() {
			return new CapturingStatsClient();
		}

		@Bean
		InvoiceService invoiceService() {
			return new InvoiceService();
		}

		@Bean
		OrderController orderController(InvoiceService invoices) {
			return new OrderController(invoices);
		}

		@Bean
		AuditController auditController() {
			return new AuditController();
		}

	}

	static class InvoiceService {

		@Timed("invoices.render")
		public String render(long id) {
			return "invoice-" + id;
		}

	}

	@RestController
	static class OrderController {

		private final InvoiceService invoices;

		OrderController(InvoiceService invoices) {
			this.invoices = invoices;
		}

		@Timed("orders.get")
		@GetMapping("/orders/{id:\\d+}")
		String get(@PathVariable long id) {
			return "order-" + id;
		}

		@Timed("orders.slow")
		@GetMapping("/orders/slow")
		Callable<String> slow() {
			return () -> {
				Thread.sleep(200);
				return "slow";
			};
		}

		@Timed("orders.boom")
		@GetMapping("/orders/boom")
		String boom() {
			throw new IllegalStateException("boom");
		}

		@Timed("orders.bad")
		@GetMapping("/orders/bad")
		String bad() {
			throw new IllegalArgumentException("bad");
		}

		@Counted("orders.placed")
		@PostMapping("/orders")
		String place(@RequestBody String order) {
			return "placed";
		}

		@Timed("orders.invoice")
		@GetMapping("/orders/{id}/invoice")
		String invoice(@PathVariable long id) {
			return this.invoices.render(id);
		}

		@GetMapping("/plain")
		String plain() {
			return "plain";
		}

		@Timed("orders.helper")
		public String helper() {
			return "not a handler";
		}

		@ExceptionHandler(IllegalArgumentException.class)
		ResponseEntity<String> handle(IllegalArgumentException ex) {
			return ResponseEntity.status(HttpStatus.BAD_REQUEST).body(ex.getMessage());
		}

	}

	@RestController
	@Timed("audit")
	public static class AuditController {

		@GetMapping("/audit/{id}")
		public String entry(@PathVariable long id) {
			return "audit-" + id;
		}

	}

}
