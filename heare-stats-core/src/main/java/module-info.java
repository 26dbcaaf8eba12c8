/**
 * The heare stats client: {@link io.heare.stats.client.StatsClient}, configured by
 * {@link io.heare.stats.client.StatsClientConfig}, and the {@code @Timed} and
 * {@code @Counted} annotations. Aggregation, sending and the transports are
 * package-private in {@code io.heare.stats.client}.
 */
module io.heare.stats.core {

	requires org.slf4j;
	requires java.net.http;

	exports io.heare.stats.annotation;
	exports io.heare.stats.client;

}
