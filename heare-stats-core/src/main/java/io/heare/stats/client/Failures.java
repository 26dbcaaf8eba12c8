package io.heare.stats.client;

import java.io.EOFException;
import java.net.ConnectException;
import java.net.SocketTimeoutException;
import java.net.URI;
import java.net.UnknownHostException;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpTimeoutException;
import java.nio.channels.UnresolvedAddressException;
import java.util.concurrent.TimeoutException;

import javax.net.ssl.SSLException;

/**
 * Describes a failed exchange in the short, stable form the sender logs once per cause,
 * naming what an operator can act on first (connection refused, a timeout, TLS, a host
 * that does not resolve) and then the destination.
 */
final class Failures {

	private Failures() {
	}

	/**
	 * {@code "<what went wrong> <action> <uri>[: <detail>]"}, for example
	 * {@code "connection refused connecting to http://127.0.0.1:8080/http"}. The JDK
	 * clients wrap the informative exception in bare ones, so the whole chain is looked
	 * at.
	 */
	public static String describe(String action, Object destination, Throwable failure) {
		String kind = kind(failure);
		if (kind != null) {
			return kind + " " + action + " " + destination;
		}
		Throwable cause = failure;
		while (cause.getCause() != null && cause.getMessage() == null) {
			cause = cause.getCause();
		}
		String message = cause.getMessage();
		return cause.getClass().getSimpleName() + " " + action + " " + destination
				+ ((message != null) ? ": " + message : "");
	}

	static String describe(String action, URI uri, Throwable failure) {
		return describe(action, (Object) uri, failure);
	}

	// The category of the first cause in the chain that has one, or null.
	private static String kind(Throwable failure) {
		for (Throwable cause = failure; cause != null; cause = cause.getCause()) {
			if (cause instanceof HttpConnectTimeoutException) {
				return "connect timed out";
			}
			if (cause instanceof ConnectException) {
				return "connection refused";
			}
			if (cause instanceof HttpTimeoutException || cause instanceof SocketTimeoutException
					|| cause instanceof TimeoutException) {
				return "timed out";
			}
			if (cause instanceof SSLException) {
				return "TLS failure (" + cause.getClass().getSimpleName() + ")";
			}
			if (cause instanceof UnknownHostException || cause instanceof UnresolvedAddressException) {
				return "host not found";
			}
			if (cause instanceof EOFException) {
				return "connection closed by the service";
			}
			if (cause.getCause() == cause) {
				break;
			}
		}
		return null;
	}

}
