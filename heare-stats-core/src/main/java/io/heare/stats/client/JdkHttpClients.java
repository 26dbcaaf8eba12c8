package io.heare.stats.client;

import java.lang.reflect.Method;
import java.net.http.HttpClient;

/**
 * Releases a JDK {@link HttpClient}'s selector thread and connections where the JDK
 * allows it.
 */
final class JdkHttpClients {

	private static final Method SHUTDOWN_NOW = shutdownNow();

	private JdkHttpClients() {
	}

	// HttpClient.shutdownNow() arrived in Java 21; on 17 a client is released only when
	// it is collected, so there is nothing to call.
	private static Method shutdownNow() {
		try {
			return HttpClient.class.getMethod("shutdownNow");
		}
		catch (NoSuchMethodException ex) {
			return null;
		}
	}

	/**
	 * Aborts what is in flight and closes the client's connections and selector thread
	 * (Java 21+).
	 */
	static void shutdown(HttpClient client) {
		if (SHUTDOWN_NOW == null) {
			return;
		}
		try {
			SHUTDOWN_NOW.invoke(client);
		}
		catch (ReflectiveOperationException | RuntimeException ex) {
			// Closing is best effort: the client is unreachable after this either way.
		}
	}

}
