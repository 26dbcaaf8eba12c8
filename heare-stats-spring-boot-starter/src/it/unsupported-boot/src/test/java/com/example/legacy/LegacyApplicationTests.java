package com.example.legacy;

import org.junit.jupiter.api.Test;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.SpringBootVersion;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatIllegalStateException;

class LegacyApplicationTests {

	@Test
	void startUpFailsSayingWhichSpringBootTheStarterNeeds() {
		assertThat(SpringBootVersion.getVersion()).startsWith("3.");
		assertThatIllegalStateException()
			.isThrownBy(() -> SpringApplication.run(LegacyApplication.class, "--server.port=0",
					"--heare.stats.dest-host=127.0.0.1", "--heare.stats.dest-port=9", "--heare.stats.secret=s"))
			.withMessage("heare-stats-spring-boot-starter needs Spring Boot 4.0 or 4.1, but this application runs "
					+ "Spring Boot " + SpringBootVersion.getVersion()
					+ ". Upgrade the application to Spring Boot 4, or remove the starter.");
	}

}
