package io.heare.stats.client;

/**
 * The outcome of one {@link Transport#send(Batch)}.
 *
 * @param outcome what happened
 * @param requests requests, frames or datagrams sent
 * @param bytes payload bytes sent
 * @param cause for failures, a short description that does not change from one request to
 * the next for the same problem (for example
 * {@code "HTTP 401 from http://host:80/http: the
 * secret was rejected"}), so that it is logged once per distinct cause; {@code null} on
 * success
 * @param lostUpdates for {@link Outcome#FAILED}, the updates of the batch that were lost
 * (those in datagrams that could not be sent); 0 otherwise
 */
record SendResult(Outcome outcome, long requests, long bytes, String cause, long lostUpdates) {

	/** Everything in the batch was delivered. */
	public static SendResult success(long requests, long bytes) {
		return new SendResult(Outcome.SUCCESS, requests, bytes, null, 0);
	}

	/** Nothing was delivered, and trying again later may work (timeouts, 5xx, 429). */
	public static SendResult retry(String cause) {
		return new SendResult(Outcome.RETRY, 0, 0, cause, 0);
	}

	/**
	 * The service refused the batch, and sending anything again soon would not help (a
	 * rejected secret, a wrong path): the sender drops it and backs off.
	 */
	public static SendResult rejected(String cause) {
		return new SendResult(Outcome.REJECTED, 0, 0, cause, 0);
	}

	/**
	 * The service could not take the batch as a whole (400, 413), or it is too large to
	 * send: the sender splits it and sends the halves, down to the one entry that is then
	 * dropped, so that one bad entry costs only itself.
	 */
	public static SendResult split(String cause) {
		return new SendResult(Outcome.SPLIT, 0, 0, cause, 0);
	}

	/** Part of the batch could not be sent and is lost (UDP datagrams that failed). */
	public static SendResult failed(long requests, long bytes, String cause, long lostUpdates) {
		return new SendResult(Outcome.FAILED, requests, bytes, cause, lostUpdates);
	}

	/** What a send achieved. */
	public enum Outcome {

		/** Delivered. */
		SUCCESS,

		/** Not delivered; keep the batch and retry with backoff. */
		RETRY,

		/** Refused by the service; drop the batch, count it as rejected, and back off. */
		REJECTED,

		/** Refused as a whole; split it and send the parts. */
		SPLIT,

		/**
		 * Partly lost in sending; count the lost updates as failed, the rest as
		 * delivered.
		 */
		FAILED

	}

}
