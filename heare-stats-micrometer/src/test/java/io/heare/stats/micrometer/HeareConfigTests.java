package io.heare.stats.micrometer;

import java.time.Duration;
import java.util.List;
import java.util.Map;

import io.heare.stats.test.InMemoryStatsClient;
import io.micrometer.core.instrument.config.validate.ValidationException;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;

/**
 * Tests for {@link HeareConfig}.
 */
class HeareConfigTests {

	@Test
	void defaults() {
		HeareConfig config = HeareConfig.DEFAULT;
		assertThat(config.prefix()).isEqualTo("heare");
		assertThat(config.enabled()).isTrue();
		assertThat(config.step()).isEqualTo(Duration.ofSeconds(10));
		assertThat(config.maxMeters()).isEqualTo(2_000);
		assertThat(config.allowedTags()).isEmpty();
		assertThat(config.deniedTags()).isEmpty();
		assertThat(config.validate().isValid()).isTrue();
	}

	@Test
	void readsItsSettingsUnderThePrefix() {
		HeareConfig config = Map.of("heare.step", "30s", "heare.maxMeters", "50", "heare.allowedTags",
				"http.server.requests=method | status,jvm.memory.used=area")::get;
		assertThat(config.step()).isEqualTo(Duration.ofSeconds(30));
		assertThat(config.maxMeters()).isEqualTo(50);
		assertThat(config.allowedTags()).containsOnly(Map.entry("http.server.requests", List.of("method", "status")),
				Map.entry("jvm.memory.used", List.of("area")));
	}

	@Test
	void aStepThatIsNotPositiveIsRejectedNamingTheSetting() {
		HeareConfig config = Map.of("heare.step", "0s")::get;
		assertThatExceptionOfType(ValidationException.class)
			.isThrownBy(() -> new HeareMeterRegistry(config, new InMemoryStatsClient()))
			.withMessageContaining("heare.step")
			.withMessageContaining("must be positive");
	}

	@Test
	void aNegativeMeterCapIsRejectedNamingTheSetting() {
		HeareConfig config = Map.of("heare.maxMeters", "-1")::get;
		assertThat(config.validate().failures()).singleElement()
			.satisfies((failure) -> assertThat(failure.getProperty()).isEqualTo("heare.maxMeters"));
	}

}
