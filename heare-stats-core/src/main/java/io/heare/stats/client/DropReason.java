package io.heare.stats.client;

/** Why a metric update was not delivered. Every drop is counted under one reason. */
public enum DropReason {

	/** The name was null or empty (after sanitizing). */
	INVALID_NAME,

	/** The value was NaN or infinite. */
	INVALID_VALUE,

	/**
	 * The cap on distinct metric names was reached; new names are dropped. Also a timer
	 * value sampled at a ninth distinct rate of one timer, which keeps eight rates apart.
	 */
	NAME_LIMIT,

	/** The cap on pending timer or histogram values was reached. */
	VALUE_LIMIT,

	/**
	 * The service refused the update: its batch was answered with a non-retryable status
	 * (401, 403 and other 4xx but 429), or the update was the one entry of a batch
	 * answered 400 or 413 that splitting isolated.
	 */
	REJECTED,

	/**
	 * The transport could not send the update and it cannot be retried (a UDP datagram
	 * that failed).
	 */
	SEND_FAILED,

	/** Recorded after the client was closed. */
	CLOSED,

	/**
	 * Still pending when the close deadline passed, or refused by the last send at close.
	 */
	UNDELIVERED_AT_CLOSE,

	/**
	 * A recording thread reserved room for the value but did not write it within the
	 * sender's bounded wait (it died, or was suspended, in between).
	 */
	UNPUBLISHED

}
