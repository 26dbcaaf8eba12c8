package io.heare.stats.test.autoconfigure.support;

import mockwebserver3.Dispatcher;
import mockwebserver3.MockResponse;
import mockwebserver3.RecordedRequest;

/**
 * Answers every request with {@code 200 OK}, as a heare service that accepts every batch.
 */
public final class OkDispatcher extends Dispatcher {

	@Override
	public MockResponse dispatch(RecordedRequest request) {
		return new MockResponse.Builder().code(200).build();
	}

}
