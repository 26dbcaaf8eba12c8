package io.heare.stats.client;

/** Why a metric update was not delivered. Every drop is counted under one reason. */
public enum DropReason {

	/** The name was null or empty (after sanitizing). */
	INVALID_NAME,

	/** The value was NaN or infinite. */
	INVALID_VALUE,

	/** The cap on distinct metric names was reached; new names are dropped. */
	NAME_LIMIT,

	/** The cap on pending timer or histogram values was reached. */
	VALUE_LIMIT,

	/** The service refused the batch with a non-retryable status (4xx other than 429). */
	REJECTED,

	/** The transport could not send the batch and it cannot be retried (UDP send error). */
	SEND_FAILED,

	/** Recorded after the client was closed. */
	CLOSED,

	/** Still pending when the close deadline passed. */
	UNDELIVERED_AT_CLOSE

}
