package io.heare.stats.client.transport;

/**
 * The outcome of one {@link Transport#send(Batch)}.
 *
 * @param outcome what happened
 * @param requests requests, frames or datagrams sent
 * @param bytes payload bytes sent
 * @param cause for failures, a short description that does not change from one request to
 * the next for the same problem (for example {@code "HTTP 401: the secret was rejected"}),
 * so that it is logged once per distinct cause; {@code null} on success
 */
public record SendResult(Outcome outcome, long requests, long bytes, String cause) {

	/** Everything in the batch was delivered. */
	public static SendResult success(long requests, long bytes) {
		return new SendResult(Outcome.SUCCESS, requests, bytes, null);
	}

	/** Nothing was delivered, and trying again later may work (timeouts, 5xx, 429). */
	public static SendResult retry(String cause) {
		return new SendResult(Outcome.RETRY, 0, 0, cause);
	}

	/** The service refused the batch; sending it again would not help (4xx). */
	public static SendResult rejected(String cause) {
		return new SendResult(Outcome.REJECTED, 0, 0, cause);
	}

	/** The batch could not be sent and is lost (a UDP datagram that failed). */
	public static SendResult failed(long requests, long bytes, String cause) {
		return new SendResult(Outcome.FAILED, requests, bytes, cause);
	}

	/** What a send achieved. */
	public enum Outcome {

		/** Delivered. */
		SUCCESS,

		/** Not delivered; keep the batch and retry with backoff. */
		RETRY,

		/** Refused by the service; drop the batch and count it as rejected. */
		REJECTED,

		/** Lost in sending; drop the batch and count it as failed. */
		FAILED

	}

}
