package io.heare.stats.test.autoconfigure.servlet;

import java.util.concurrent.atomic.AtomicBoolean;

import org.junit.jupiter.api.Test;

import org.springframework.beans.factory.annotation.Autowired;
import org.springframework.beans.factory.annotation.Qualifier;
import org.springframework.boot.test.context.SpringBootTest;
import org.springframework.boot.test.context.SpringBootTest.WebEnvironment;
import org.springframework.boot.test.context.TestConfiguration;
import org.springframework.context.ApplicationContext;
import org.springframework.context.annotation.Bean;

import io.heare.stats.client.HttpClient;
import io.heare.stats.client.Protocol;
import io.heare.stats.client.StatsClient;
import io.heare.stats.client.StatsClientConfig;
import io.heare.stats.test.InMemoryStatsClient;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * An application that defines its own {@link StatsClient} bean gets the in-memory client
 * in its place, under the same name, and its own is never created.
 */
@SpringBootTest(webEnvironment = WebEnvironment.NONE)
class UserDefinedClientTests {

	static final AtomicBoolean created = new AtomicBoolean();

	@Autowired
	private ApplicationContext context;

	@Autowired
	@Qualifier("ownStatsClient")
	private StatsClient ownStatsClient;

	@Test
	void ownClientIsReplacedByTheInMemoryClient() {
		assertThat(this.ownStatsClient).isInstanceOf(InMemoryStatsClient.class);
		assertThat(this.context.getBean("ownStatsClient")).isSameAs(this.context.getBean(StatsClient.class));
		assertThat(this.context.getBeanNamesForType(StatsClient.class)).containsExactly("heareStatsClient");
		assertThat(created).isFalse();
	}

	@TestConfiguration(proxyBeanMethods = false)
	static class OwnClientConfiguration {

		@Bean
		StatsClient ownStatsClient() {
			created.set(true);
			return StatsClient.create(StatsClientConfig.builder()
				.protocol(Protocol.HTTP)
				.destHost("127.0.0.1")
				.destPort(9)
				.secret("own-secret")
				.set(StatsClientConfig.CLOSE_ON_SHUTDOWN, false)
				.build());
		}

	}

}
