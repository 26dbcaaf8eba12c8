package io.heare.stats.autoconfigure;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

import org.springframework.boot.SpringApplication;
import org.springframework.boot.WebApplicationType;
import org.springframework.boot.autoconfigure.AutoConfigurations;
import org.springframework.boot.autoconfigure.ImportAutoConfiguration;
import org.springframework.boot.diagnostics.FailureAnalysis;
import org.springframework.boot.test.context.runner.ApplicationContextRunner;
import org.springframework.boot.test.system.CapturedOutput;
import org.springframework.boot.test.system.OutputCaptureExtension;
import org.springframework.context.annotation.Configuration;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatException;

/**
 * Tests for {@link HeareStatsFailureAnalyzer}, on the failures of a context with
 * {@link HeareStatsAutoConfiguration}.
 */
@ExtendWith(OutputCaptureExtension.class)
class HeareStatsFailureAnalyzerTests {

	private static final String SECRET = "do-not-print-me";

	private final ApplicationContextRunner contextRunner = new ApplicationContextRunner()
		.withConfiguration(AutoConfigurations.of(HeareStatsAutoConfiguration.class))
		.withPropertyValues("heare.stats.dest-host=127.0.0.1");

	@Test
	void portOutOfRangeNamesThePropertyAndTheRange() {
		FailureAnalysis analysis = analyzeStartupFailure("heare.stats.dest-port=70000", "heare.stats.secret=" + SECRET);
		assertThat(analysis.getDescription()).isEqualTo(
				"The heare stats client cannot be created: the value '70000' of property 'heare.stats.dest-port' is invalid.");
		assertThat(analysis.getAction()).isEqualTo("Update your application's configuration: set "
				+ "'heare.stats.dest-port' (or the environment variable STATS_CLIENT_SETTINGS__DEST_PORT). "
				+ "Allowed: a port between 1 and 65535.");
	}

	@Test
	void portThatIsNotANumberNamesThePropertyAndTheRange() {
		FailureAnalysis analysis = analyzeStartupFailure("heare.stats.dest-port=http", "heare.stats.secret=" + SECRET);
		assertThat(analysis.getDescription())
			.startsWith("Failed to bind property 'heare.stats.dest-port' to the value 'http'")
			.endsWith(": the value cannot be converted.");
		assertThat(analysis.getAction()).endsWith("Allowed: a port between 1 and 65535.");
	}

	@Test
	void missingPortNamesTheProperty() {
		FailureAnalysis analysis = analyzeStartupFailure("heare.stats.secret=" + SECRET);
		assertThat(analysis.getDescription()).isEqualTo(
				"The heare stats client cannot be created: property 'heare.stats.dest-port' is missing or invalid.");
	}

	@Test
	void unknownProtocolListsTheProtocols() {
		FailureAnalysis analysis = analyzeStartupFailure("heare.stats.protocol=smtp", "heare.stats.dest-port=80",
				"heare.stats.secret=" + SECRET);
		assertThat(analysis.getDescription())
			.startsWith("Failed to bind property 'heare.stats.protocol' to the value 'smtp'");
		assertThat(analysis.getAction()).isEqualTo("Update your application's configuration: set "
				+ "'heare.stats.protocol' (or the environment variable STATS_CLIENT_SETTINGS__PROTOCOL). "
				+ "Allowed: one of http, tcp, udp, ws.");
	}

	@Test
	void httpWithoutASecretAsksForOne() {
		FailureAnalysis analysis = analyzeStartupFailure("heare.stats.dest-port=80");
		assertThat(analysis.getDescription()).isEqualTo(
				"The heare stats client cannot be created: property 'heare.stats.secret' is missing or invalid.");
		assertThat(analysis.getAction()).isEqualTo("Update your application's configuration: set "
				+ "'heare.stats.secret' (or the environment variable STATS_CLIENT_SETTINGS__SECRET). "
				+ "Allowed: a secret is required for protocol http.");
	}

	@Test
	void wsWithoutASecretAsksForOne() {
		FailureAnalysis analysis = analyzeStartupFailure("heare.stats.protocol=ws", "heare.stats.dest-port=443");
		assertThat(analysis.getDescription()).isEqualTo(
				"The heare stats client cannot be created: property 'heare.stats.secret' is missing or invalid.");
		assertThat(analysis.getAction()).endsWith("Allowed: a secret is required for protocol ws.");
	}

	@Test
	void wsSettingNamesTheSharedHttpProperty() {
		FailureAnalysis analysis = analyzeStartupFailure("heare.stats.protocol=ws", "heare.stats.dest-port=443",
				"heare.stats.secret=" + SECRET, "heare.stats.http.scheme=ftp");
		assertThat(analysis.getDescription()).contains("property 'heare.stats.http.scheme'");
	}

	@Test
	void udpNeedsNoSecretButAValidPacketSize() {
		FailureAnalysis analysis = analyzeStartupFailure("heare.stats.protocol=udp", "heare.stats.dest-port=8125",
				"heare.stats.statsd.max-packet-size=0");
		assertThat(analysis.getDescription()).contains("property 'heare.stats.statsd.max-packet-size'");
	}

	@Test
	void negativePacketRateNamesTheStatsdProperty() {
		FailureAnalysis analysis = analyzeStartupFailure("heare.stats.protocol=udp", "heare.stats.dest-port=8125",
				"heare.stats.statsd.max-packets-per-second=-5");
		assertThat(analysis.getDescription()).contains("property 'heare.stats.statsd.max-packets-per-second'");
		assertThat(analysis.getAction()).contains("0 for no limit");
	}

	@Test
	void nestedSettingNamesTheNestedProperty() {
		FailureAnalysis analysis = analyzeStartupFailure("heare.stats.dest-port=80", "heare.stats.secret=" + SECRET,
				"heare.stats.http.scheme=ftp");
		assertThat(analysis.getDescription()).contains("property 'heare.stats.http.scheme'");
		assertThat(analysis.getAction()).endsWith("Allowed: http or https (ws or wss are read the same).");
	}

	@Test
	void isRegisteredWithSpringBootAheadOfItsBindFailureAnalyzer(CapturedOutput output) {
		SpringApplication application = new SpringApplication(ApplicationConfiguration.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatException().isThrownBy(() -> application.run("--heare.stats.dest-host=127.0.0.1",
				"--heare.stats.protocol=smtp", "--heare.stats.secret=" + SECRET));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("Failed to bind property 'heare.stats.protocol' to the value 'smtp'")
			.contains("Allowed: one of http, tcp, udp, ws.")
			.doesNotContain(SECRET);
	}

	@Test
	void secretWithAnUnresolvedPlaceholderCountsAsMissingAndNamesTheVariable() {
		FailureAnalysis analysis = analyzeStartupFailure("heare.stats.dest-port=8080",
				"heare.stats.secret=${HEARE_STATS_TEST_UNSET_SECRET}");
		assertThat(analysis.getDescription()).contains("property 'heare.stats.secret' is missing or invalid");
		assertThat(analysis.getAction()).contains("set 'heare.stats.secret'")
			.contains("STATS_CLIENT_SETTINGS__SECRET")
			.contains("a secret is required for protocol http")
			.contains("${HEARE_STATS_TEST_UNSET_SECRET} is a placeholder that nothing resolves")
			.contains("set the environment variable HEARE_STATS_TEST_UNSET_SECRET");
	}

	@Test
	void secretWithAnUnresolvedPlaceholderStopsARealApplication(CapturedOutput output) {
		SpringApplication application = new SpringApplication(ApplicationConfiguration.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatException().isThrownBy(() -> application.run("--heare.stats.dest-host=127.0.0.1",
				"--heare.stats.dest-port=8080", "--heare.stats.secret=${HEARE_STATS_TEST_UNSET_SECRET}"));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("property 'heare.stats.secret' is missing or invalid")
			.contains("set the environment variable HEARE_STATS_TEST_UNSET_SECRET");
	}

	@Test
	void destHostWithAnUnresolvedPlaceholderStopsARealApplication(CapturedOutput output) {
		SpringApplication application = new SpringApplication(ApplicationConfiguration.class);
		application.setWebApplicationType(WebApplicationType.NONE);
		assertThatException().isThrownBy(() -> application.run("--heare.stats.dest-host=${HEARE_STATS_TEST_UNSET_HOST}",
				"--heare.stats.dest-port=8080", "--heare.stats.secret=" + SECRET));
		assertThat(output).contains("APPLICATION FAILED TO START")
			.contains("of property 'heare.stats.dest-host' is invalid")
			.contains("set the environment variable HEARE_STATS_TEST_UNSET_HOST")
			.doesNotContain("Error processing condition");
	}

	@Test
	void secretWithAResolvedPlaceholderIsUsed() {
		this.contextRunner
			.withPropertyValues("heare.stats.dest-port=8080", "test.secret=" + SECRET,
					"heare.stats.secret=${test.secret}")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(io.heare.stats.client.HttpClient.class));
	}

	@Test
	void secretThatOnlyContainsPlaceholderSyntaxIsUsedAsWritten() {
		this.contextRunner
			.withPropertyValues("heare.stats.dest-port=8080", "heare.stats.secret=Pa${HEARE_STATS_TEST_UNSET}ss")
			.run((context) -> assertThat(context).hasNotFailed().hasSingleBean(io.heare.stats.client.HttpClient.class));
	}

	@Test
	void ignoresOtherFailures() {
		assertThat(new HeareStatsFailureAnalyzer().analyze(new IllegalStateException("unrelated"))).isNull();
	}

	private FailureAnalysis analyzeStartupFailure(String... properties) {
		FailureAnalysis[] analysis = new FailureAnalysis[1];
		this.contextRunner.withPropertyValues(properties).run((context) -> {
			assertThat(context).hasFailed();
			analysis[0] = new HeareStatsFailureAnalyzer().analyze(context.getStartupFailure());
		});
		assertThat(analysis[0]).isNotNull();
		assertThat(analysis[0].getDescription()).doesNotContain(SECRET);
		assertThat(analysis[0].getAction()).doesNotContain(SECRET);
		return analysis[0];
	}

	@Configuration(proxyBeanMethods = false)
	@ImportAutoConfiguration(HeareStatsAutoConfiguration.class)
	static class ApplicationConfiguration {

	}

}
