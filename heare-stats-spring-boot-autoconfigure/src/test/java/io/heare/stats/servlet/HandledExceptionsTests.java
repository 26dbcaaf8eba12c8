package io.heare.stats.servlet;

import java.util.ArrayList;
import java.util.List;

import jakarta.servlet.FilterChain;
import jakarta.servlet.RequestDispatcher;
import org.junit.jupiter.api.Test;

import org.springframework.mock.web.MockHttpServletRequest;
import org.springframework.mock.web.MockHttpServletResponse;
import org.springframework.web.servlet.DispatcherServlet;

import io.heare.stats.testsupport.CapturingStatsClient;
import io.heare.stats.web.ExcludedPaths;
import io.heare.stats.web.HttpServerMetrics;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests for {@link HeareStatsServletFilter} with {@link HandledExceptions}: a request is
 * asked for an exception a handler resolved exactly when one may have been.
 */
class HandledExceptionsTests {

	private static final List<String> EXCEPTION_ATTRIBUTES = List.of(DispatcherServlet.EXCEPTION_ATTRIBUTE,
			"org.springframework.boot.webmvc.error.DefaultErrorAttributes.ERROR", RequestDispatcher.ERROR_EXCEPTION);

	private final CapturingStatsClient client = new CapturingStatsClient();

	private final HandledExceptions handledExceptions = new HandledExceptions();

	private final HeareStatsServletFilter filter = new HeareStatsServletFilter(
			new HttpServerMetrics(() -> this.client, "http.server"), new ExcludedPaths(List.of()), null,
			this.handledExceptions);

	@Test
	void aRequestDuringWhichNoExceptionWasHandledIsNotAskedForOne() throws Exception {
		AskedRequest request = new AskedRequest();
		this.filter.doFilter(request, new MockHttpServletResponse(), (req, res) -> {
		});
		assertThat(request.asked).doesNotContainAnyElementsOf(EXCEPTION_ATTRIBUTES);
		assertThat(this.client.names()).contains("http.server.requests.success");
	}

	@Test
	void anExceptionAHandlerTurnedIntoASuccessfulResponseIsRecorded() throws Exception {
		AskedRequest request = new AskedRequest();
		MockHttpServletResponse response = new MockHttpServletResponse();
		IllegalArgumentException handled = new IllegalArgumentException("handled");
		this.filter.doFilter(request, response, handling(handled));
		assertThat(response.getStatus()).isEqualTo(200);
		assertThat(this.client.names())
			.contains("http.server.requests.error", "http.server.requests.error.IllegalArgumentException")
			.doesNotContain("http.server.requests.success");
	}

	@Test
	void anExceptionHandledOnAnotherThreadMeanwhileMakesTheRequestAskAndFindNone() throws Exception {
		AskedRequest request = new AskedRequest();
		this.filter.doFilter(request, new MockHttpServletResponse(), (req, res) -> {
			Thread other = new Thread(() -> this.handledExceptions.resolveException(new MockHttpServletRequest(),
					new MockHttpServletResponse(), null, new IllegalStateException("elsewhere")));
			other.start();
			join(other);
		});
		assertThat(request.asked).contains(DispatcherServlet.EXCEPTION_ATTRIBUTE);
		assertThat(this.client.names()).contains("http.server.requests.success")
			.doesNotContain("http.server.requests.error");
	}

	@Test
	void aRequestWithAnErrorStatusIsAskedThoughTheCountStoodStill() throws Exception {
		AskedRequest request = new AskedRequest();
		MockHttpServletResponse response = new MockHttpServletResponse();
		this.filter.doFilter(request, response, (req, res) -> {
			// As a DispatcherServlet that does not use the context's resolver beans.
			req.setAttribute(DispatcherServlet.EXCEPTION_ATTRIBUTE, new IllegalArgumentException("unseen"));
			((MockHttpServletResponse) res).setStatus(422);
		});
		assertThat(this.client.names()).contains("http.server.requests.status.422",
				"http.server.requests.error.IllegalArgumentException");
	}

	@Test
	void withoutTheCounterEveryRequestIsAsked() throws Exception {
		HeareStatsServletFilter unaided = new HeareStatsServletFilter(
				new HttpServerMetrics(() -> this.client, "http.server"), new ExcludedPaths(List.of()), null);
		AskedRequest request = new AskedRequest();
		unaided.doFilter(request, new MockHttpServletResponse(), (req, res) -> req
			.setAttribute(RequestDispatcher.ERROR_EXCEPTION, new IllegalStateException("rendered as a view")));
		assertThat(request.asked).containsAll(EXCEPTION_ATTRIBUTES);
		assertThat(this.client.names()).contains("http.server.requests.error.IllegalStateException");
	}

	@Test
	void anAsynchronousRequestIsAskedWhenItCompletes() throws Exception {
		AskedRequest request = new AskedRequest();
		request.setAsyncSupported(true);
		MockHttpServletResponse response = new MockHttpServletResponse();
		this.filter.doFilter(request, response, (req, res) -> req.startAsync());
		assertThat(this.client.names()).isEmpty();
		request.setAttribute(DispatcherServlet.EXCEPTION_ATTRIBUTE, new IllegalStateException("in a later dispatch"));
		request.getAsyncContext().complete();
		assertThat(request.asked).contains(DispatcherServlet.EXCEPTION_ATTRIBUTE);
		assertThat(this.client.names()).contains("http.server.requests.error.IllegalStateException");
	}

	// What Spring MVC does with an exception a handler method throws and an
	// @ExceptionHandler answers with a 200.
	private FilterChain handling(Exception ex) {
		return (req, res) -> {
			MockHttpServletRequest request = (MockHttpServletRequest) req;
			this.handledExceptions.resolveException(request, (MockHttpServletResponse) res, null, ex);
			request.setAttribute(DispatcherServlet.EXCEPTION_ATTRIBUTE, ex);
		};
	}

	private static void join(Thread thread) {
		try {
			thread.join(5000);
		}
		catch (InterruptedException ex) {
			Thread.currentThread().interrupt();
		}
		assertThat(thread.isAlive()).isFalse();
	}

	/** A request that remembers which attributes it was asked for. */
	static class AskedRequest extends MockHttpServletRequest {

		final List<String> asked = new ArrayList<>();

		AskedRequest() {
			super("GET", "/users/1");
		}

		@Override
		public Object getAttribute(String name) {
			this.asked.add(name);
			return super.getAttribute(name);
		}

	}

}
