package io.heare.stats.client;

/**
 * Delivers batches to a metrics service. A client's sender thread is the only caller of
 * {@link #send(Batch)}, so implementations may block (within their own timeouts) and need
 * no locking; the application's threads never reach a transport.
 */
interface Transport extends AutoCloseable {

	/**
	 * Sends one batch. An exception is treated as a retryable failure. The batch is the
	 * sender's again once this returns (it is cleared and filled anew): keep nothing of
	 * it but copies.
	 * @param batch the batch; not empty
	 * @return what happened
	 * @throws Exception when the send failed in a way worth retrying
	 */
	SendResult send(Batch batch) throws Exception;

	/**
	 * The most entries one {@link #send(Batch)} should carry; the sender splits larger
	 * batches. {@code Integer.MAX_VALUE} when the transport splits for itself.
	 */
	default int maxBatchEntries() {
		return Integer.MAX_VALUE;
	}

	/** Releases sockets and threads. Called once, by the sender, after the last send. */
	@Override
	default void close() {
	}

}
