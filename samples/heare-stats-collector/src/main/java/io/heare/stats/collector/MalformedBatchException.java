package io.heare.stats.collector;

/**
 * Thrown when an HTTP body or WebSocket frame is not a valid metrics batch. The message
 * says what is wrong, so that it can be returned to the client as the 400 reason.
 *
 * @author heare-stats
 * @since 0.1.0
 */
public class MalformedBatchException extends RuntimeException {

	private static final long serialVersionUID = 1L;

	/**
	 * Creates a new instance.
	 * @param message what is wrong with the batch
	 */
	public MalformedBatchException(String message) {
		super(message);
	}

}
