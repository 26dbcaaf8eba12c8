package io.heare.stats.client.transport;

import java.net.URI;

/** Describes a failed exchange in the short, stable form the sender logs once per cause. */
final class Failures {

	private Failures() {
	}

	/**
	 * {@code "<Exception> <action> <uri>: <message>"}, taken from the first cause that has a
	 * message, since the JDK clients wrap the informative exception in bare ones.
	 */
	static String describe(String action, URI uri, Throwable failure) {
		Throwable cause = failure;
		while (cause.getCause() != null && cause.getMessage() == null) {
			cause = cause.getCause();
		}
		String message = cause.getMessage();
		return cause.getClass().getSimpleName() + " " + action + " " + uri + ((message != null) ? ": " + message : "");
	}

}
