package io.heare.stats.collector;

import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.channel.ChannelPipeline;
import reactor.netty.NettyPipeline;

import org.springframework.boot.reactor.netty.NettyServerCustomizer;

/**
 * Works around a bug of Reactor Netty 1.3.6 and 1.3.7 that leaves a kept-alive HTTP/1.1
 * connection unread for good: when a request arrives before the previous response has
 * ended (the dashboard's and the assets' responses end on another thread than the
 * connection's) it is queued, and when its own response then ends at once, while it is
 * answered from the queue, the server stops reading the connection, so that the next
 * request on it is never answered. This asks for the next read after every response, once
 * the queue has been dealt with; a read asked for twice is read once. Remove it when the
 * Reactor Netty that Spring Boot brings has the fix.
 *
 * @author heare-stats
 * @since 0.1.0
 */
final class ReadAfterPipelinedRequests extends ChannelInboundHandlerAdapter {

	private static final String NAME = "heare.readAfterPipelinedRequests";

	/** Package-private in Reactor Netty: fired when an exchange has ended. */
	private static final String TERMINATED_EVENT = "reactor.netty.http.server.HttpServerOperationsTerminatedEvent";

	/**
	 * Returns a customizer that adds the handler behind Reactor Netty's HTTP/1.1 traffic
	 * handler on every connection.
	 * @return the customizer
	 */
	static NettyServerCustomizer customizer() {
		return (server) -> server.doOnChannelInit((observer, channel, remoteAddress) -> {
			ChannelPipeline pipeline = channel.pipeline();
			if (pipeline.get(NettyPipeline.HttpTrafficHandler) != null) {
				pipeline.addAfter(NettyPipeline.HttpTrafficHandler, NAME, new ReadAfterPipelinedRequests());
			}
		});
	}

	@Override
	public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
		if (event.getClass().getName().equals(TERMINATED_EVENT)) {
			// Queued behind the task that the traffic handler has just queued to hand on
			// the requests it holds, so that a new request is never read in between.
			ctx.executor().execute(ctx::read);
		}
		ctx.fireUserEventTriggered(event);
	}

}
