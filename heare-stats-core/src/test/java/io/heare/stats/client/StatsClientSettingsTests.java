package io.heare.stats.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatExceptionOfType;
import static org.assertj.core.api.Assertions.assertThatIllegalArgumentException;

/**
 * Tests for {@link StatsClientSettings}. The environment is always injected through the
 * loader, so the results do not depend on the machine that runs them.
 */
class StatsClientSettingsTests {

	private static final String SECRET = "s3cr3t-value";

	private static final Map<String, String> COMPLETE = Map.of("DEST_HOST", "env.example.com", "DEST_PORT", "8080",
			"SECRET", SECRET);

	@TempDir
	Path temp;

	// Every shared setting

	@Test
	void readsEverySettingTheConfigurationSharesWithThePythonClient() {
		Map<String, String> environment = new HashMap<>();
		Map<StatsClientConfig.Setting<?>, Object> expected = new HashMap<>();
		for (StatsClientConfig.Setting<?> setting : StatsClientConfig.settings()) {
			if (setting.environmentVariable() != null) {
				Object value = nonDefaultValue(setting);
				expected.put(setting, value);
				environment.put(setting.environmentVariable(),
						(value instanceof Enum<?> constant) ? constant.name().toLowerCase() : value.toString());
			}
		}
		assertThat(expected).isNotEmpty();
		StatsClientConfig config = StatsClientSettings.loader().environment(environment).load();
		expected
			.forEach((setting, value) -> assertThat((Object) config.get(setting)).as(setting.name()).isEqualTo(value));
	}

	private static Object nonDefaultValue(StatsClientConfig.Setting<?> setting) {
		if (setting.type() == Protocol.class) {
			// One that sends the secret, so that the secret is kept.
			return Protocol.WS;
		}
		if (setting.type().isEnum()) {
			return java.util.Arrays.stream(setting.type().getEnumConstants())
				.filter((constant) -> !constant.equals(setting.defaultValue()))
				.findFirst()
				.orElseThrow();
		}
		if (setting.type() == Integer.class) {
			return 8125;
		}
		return "shared.example.com";
	}

	// Command line

	@Test
	void commandLineFlagWithSeparateValue() {
		StatsClientConfig settings = load(new String[] { "--protocol", "ws", "--dest_host", "cli.example.com",
				"--dest_port", "8125", "--secret", SECRET, "--prefix", "myapp" }, Map.of());
		assertThat(settings.protocol()).isEqualTo(Protocol.WS);
		assertThat(settings.destHost()).isEqualTo("cli.example.com");
		assertThat(settings.destPort()).isEqualTo(8125);
		assertThat(settings.secret()).isEqualTo(SECRET);
		assertThat(settings.prefix()).isEqualTo("myapp");
	}

	@Test
	void commandLineFlagWithEqualsSign() {
		StatsClientConfig settings = load(new String[] { "--protocol=ws", "--dest_host=cli.example.com",
				"--dest_port=8125", "--secret=a=b", "--prefix=myapp" }, Map.of());
		assertThat(settings.protocol()).isEqualTo(Protocol.WS);
		assertThat(settings.destHost()).isEqualTo("cli.example.com");
		assertThat(settings.destPort()).isEqualTo(8125);
		assertThat(settings.secret()).isEqualTo("a=b");
		assertThat(settings.prefix()).isEqualTo("myapp");
	}

	@Test
	void qualifiedCommandLineFlagWithSeparateValue() {
		StatsClientConfig settings = load(new String[] { "--StatsClientSettings.protocol", "ws",
				"--StatsClientSettings.dest_host", "cli.example.com", "--StatsClientSettings.dest_port", "443",
				"--StatsClientSettings.secret", SECRET, "--StatsClientSettings.prefix", "myapp" }, Map.of());
		assertThat(settings.protocol()).isEqualTo(Protocol.WS);
		assertThat(settings.destHost()).isEqualTo("cli.example.com");
		assertThat(settings.destPort()).isEqualTo(443);
		assertThat(settings.secret()).isEqualTo(SECRET);
		assertThat(settings.prefix()).isEqualTo("myapp");
	}

	@Test
	void qualifiedCommandLineFlagWithEqualsSign() {
		StatsClientConfig settings = load(new String[] { "--StatsClientSettings.protocol=ws",
				"--StatsClientSettings.dest_host=cli.example.com", "--StatsClientSettings.dest_port=8125",
				"--StatsClientSettings.secret=" + SECRET, "--StatsClientSettings.prefix=myapp" }, Map.of());
		assertThat(settings.protocol()).isEqualTo(Protocol.WS);
		assertThat(settings.destHost()).isEqualTo("cli.example.com");
		assertThat(settings.destPort()).isEqualTo(8125);
		assertThat(settings.secret()).isEqualTo(SECRET);
		assertThat(settings.prefix()).isEqualTo("myapp");
	}

	@Test
	void unknownFlagsAndPositionalArgumentsAreIgnored() {
		StatsClientConfig settings = load(new String[] { "serve", "--verbose", "--port", "9000", "-x",
				"--Other.dest_host=other.example.com", "--dest_host", "cli.example.com", "--dest_port=80", "file.txt" },
				Map.of("SECRET", SECRET));
		assertThat(settings.destHost()).isEqualTo("cli.example.com");
		assertThat(settings.destPort()).isEqualTo(80);
	}

	@Test
	void argumentsWithoutTwoLeadingDashesAreNotFlagsHoweverShort() {
		StatsClientConfig settings = load(
				new String[] { "x", "-", "++dest_host=plus.example.com", "--dest_port", "1", "y" }, COMPLETE);
		assertThat(settings.destHost()).isEqualTo("env.example.com");
		assertThat(settings.destPort()).isEqualTo(1);
	}

	@Test
	void argumentsAfterDoubleDashAreNotFlags() {
		StatsClientConfig settings = load(new String[] { "--", "--dest_host", "ignored.example.com" }, COMPLETE);
		assertThat(settings.destHost()).isEqualTo("env.example.com");
	}

	@Test
	void lastOccurrenceOfARepeatedFlagWins() {
		StatsClientConfig settings = load(
				new String[] { "--dest_host", "first.example.com", "--StatsClientSettings.dest_host=last.example.com" },
				COMPLETE);
		assertThat(settings.destHost()).isEqualTo("last.example.com");
	}

	@Test
	void flagWithoutValueIsRejected() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> load(new String[] { "--dest_host", "--verbose" }, COMPLETE))
			.withMessage("Invalid value (none) for setting 'dest_host': a value after --dest_host"
					+ " (use --dest_host=VALUE for a value starting with --)");
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> load(new String[] { "--StatsClientSettings.secret" }, COMPLETE))
			.satisfies((ex) -> assertThat(ex.getSetting()).isEqualTo("secret"))
			.withMessageContaining("a value after --StatsClientSettings.secret");
	}

	@Test
	void blankFlagValueFallsThroughToTheNextSource() {
		StatsClientConfig settings = load(new String[] { "--dest_host=", "--prefix", " " }, COMPLETE);
		assertThat(settings.destHost()).isEqualTo("env.example.com");
		assertThat(settings.prefix()).isNull();
	}

	// Environment

	@Test
	void qualifiedEnvironmentVariables() {
		StatsClientConfig settings = load(new String[0],
				Map.of("STATS_CLIENT_SETTINGS__PROTOCOL", "ws", "STATS_CLIENT_SETTINGS__DEST_HOST", "env.example.com",
						"STATS_CLIENT_SETTINGS__DEST_PORT", "8125", "STATS_CLIENT_SETTINGS__SECRET", SECRET,
						"STATS_CLIENT_SETTINGS__PREFIX", "myapp"));
		assertThat(settings.protocol()).isEqualTo(Protocol.WS);
		assertThat(settings.destHost()).isEqualTo("env.example.com");
		assertThat(settings.destPort()).isEqualTo(8125);
		assertThat(settings.secret()).isEqualTo(SECRET);
		assertThat(settings.prefix()).isEqualTo("myapp");
	}

	@Test
	void shortEnvironmentVariables() {
		StatsClientConfig settings = load(new String[0], Map.of("PROTOCOL", "ws", "DEST_HOST", "env.example.com",
				"DEST_PORT", "443", "SECRET", SECRET, "PREFIX", "myapp"));
		assertThat(settings.protocol()).isEqualTo(Protocol.WS);
		assertThat(settings.destHost()).isEqualTo("env.example.com");
		assertThat(settings.destPort()).isEqualTo(443);
		assertThat(settings.secret()).isEqualTo(SECRET);
		assertThat(settings.prefix()).isEqualTo("myapp");
	}

	@Test
	void bothEnvironmentFormsWithDifferentValuesAreAnError() {
		Map<String, String> environment = new HashMap<>(COMPLETE);
		environment.put("STATS_CLIENT_SETTINGS__DEST_HOST", "other.example.com");
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(() -> load(new String[0], environment))
			.withMessage("Invalid value 'env.example.com' for setting 'dest_host': environment variables "
					+ "STATS_CLIENT_SETTINGS__DEST_HOST and DEST_HOST are both set, to different values "
					+ "('other.example.com' and 'env.example.com'); unset one of them or give both the same value");
	}

	@Test
	void bothEnvironmentFormsWithDifferentValuesAreAnErrorEvenWhenAFlagOverridesThem() {
		Map<String, String> environment = new HashMap<>(COMPLETE);
		environment.put("STATS_CLIENT_SETTINGS__DEST_PORT", "9090");
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> load(new String[] { "--dest_port=1234" }, environment))
			.satisfies((ex) -> assertThat(ex.getSetting()).isEqualTo("dest_port"))
			.withMessageContaining("STATS_CLIENT_SETTINGS__DEST_PORT and DEST_PORT");
	}

	@Test
	void conflictingSecretsAreMaskedInTheError() {
		Map<String, String> environment = new HashMap<>(COMPLETE);
		environment.put("STATS_CLIENT_SETTINGS__SECRET", "other-secret");
		assertThatExceptionOfType(InvalidSettingException.class).isThrownBy(() -> load(new String[0], environment))
			.withMessage("Invalid value '****' for setting 'secret': environment variables "
					+ "STATS_CLIENT_SETTINGS__SECRET and SECRET are both set, to different values "
					+ "('****' and '****'); unset one of them or give both the same value")
			.satisfies((ex) -> {
				assertThat(ex.getValue()).isEqualTo("****");
				assertThat(ex.getMessage()).doesNotContain(SECRET).doesNotContain("other-secret");
			});
	}

	@Test
	void bothEnvironmentFormsWithEqualValuesAreAccepted() {
		Map<String, String> environment = new HashMap<>(COMPLETE);
		environment.put("STATS_CLIENT_SETTINGS__DEST_HOST", "env.example.com");
		environment.put("STATS_CLIENT_SETTINGS__SECRET", SECRET);
		StatsClientConfig settings = load(new String[0], environment);
		assertThat(settings.destHost()).isEqualTo("env.example.com");
		assertThat(settings.secret()).isEqualTo(SECRET);
	}

	@Test
	void blankEnvironmentVariableCountsAsUnset() {
		Map<String, String> environment = new HashMap<>(COMPLETE);
		environment.put("STATS_CLIENT_SETTINGS__DEST_HOST", "");
		environment.put("PREFIX", "  ");
		StatsClientConfig settings = load(new String[0], environment);
		assertThat(settings.destHost()).isEqualTo("env.example.com");
		assertThat(settings.prefix()).isNull();
	}

	// INI files

	@Test
	void configFileSectionIsRead() throws IOException {
		Path file = write("app.ini", """
				; the application's own section is left alone
				[app]
				dest_host = app.example.com
				not a key value line

				[StatsClientSettings]
				# both separators are accepted
				protocol = UDP
				dest_host: ini.example.com
				  Dest_Port =  8125
				prefix = myapp
				unknown_key = ignored

				[other]
				prefix = other
				""");
		StatsClientConfig settings = StatsClientSettings.loader().configFile(file).load();
		assertThat(settings.protocol()).isEqualTo(Protocol.UDP);
		assertThat(settings.destHost()).isEqualTo("ini.example.com");
		assertThat(settings.destPort()).isEqualTo(8125);
		assertThat(settings.secret()).isNull();
		assertThat(settings.prefix()).isEqualTo("myapp");
	}

	@Test
	void configFileValueMayContainSeparatorsAndCommentCharacters() throws IOException {
		Path file = write("app.ini", """
				[StatsClientSettings]
				dest_host = ini.example.com
				dest_port = 443
				secret = a:b=c;d#e
				""");
		StatsClientConfig settings = StatsClientSettings.loader().configFile(file).load();
		assertThat(settings.secret()).isEqualTo("a:b=c;d#e");
	}

	@Test
	void laterConfigFileOverridesEarlierOne() throws IOException {
		Path first = write("first.ini", """
				[StatsClientSettings]
				dest_host = first.example.com
				dest_port = 1111
				secret = first-secret
				prefix = first
				""");
		Path second = write("second.ini", """
				[StatsClientSettings]
				dest_port = 2222
				prefix = second
				""");
		Path third = write("third.ini", """
				[StatsClientSettings]
				prefix = third
				""");
		StatsClientConfig settings = StatsClientSettings.loader()
			.configFile(first)
			.configFile(second)
			.configFile(third)
			.load();
		assertThat(settings.destHost()).isEqualTo("first.example.com");
		assertThat(settings.destPort()).isEqualTo(2222);
		assertThat(settings.secret()).isEqualTo("first-secret");
		assertThat(settings.prefix()).isEqualTo("third");
	}

	@Test
	void configFilesNamedOnTheCommandLineAreReadInOrderAfterLoaderFiles() throws IOException {
		Path base = write("base.ini", """
				[StatsClientSettings]
				dest_host = base.example.com
				dest_port = 1111
				secret = base-secret
				prefix = base
				""");
		Path separate = write("separate.ini", """
				[StatsClientSettings]
				dest_port = 2222
				prefix = separate
				""");
		Path equals = write("equals.ini", """
				[StatsClientSettings]
				prefix = equals
				""");
		StatsClientConfig settings = StatsClientSettings.loader()
			.args("--config", separate.toString(), "--config=" + equals)
			.configFile(base)
			.load();
		assertThat(settings.destHost()).isEqualTo("base.example.com");
		assertThat(settings.destPort()).isEqualTo(2222);
		assertThat(settings.prefix()).isEqualTo("equals");
	}

	@Test
	void missingConfigFileIsAnErrorNamingThePath() {
		Path missing = this.temp.resolve("missing.ini");
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> StatsClientSettings.loader().environment(COMPLETE).configFile(missing).load())
			.withMessage("Invalid value '" + missing + "' for setting 'config': the path of an existing INI file");
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> load(new String[] { "--config", missing.toString() }, COMPLETE))
			.withMessageContaining(missing.toString());
	}

	@Test
	void configFlagWithoutValueIsRejected() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> load(new String[] { "--config" }, COMPLETE))
			.satisfies((ex) -> assertThat(ex.getSetting()).isEqualTo("config"));
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> load(new String[] { "--config=" }, COMPLETE))
			.satisfies((ex) -> assertThat(ex.getSetting()).isEqualTo("config"))
			.withMessage("Invalid value '' for setting 'config': the path of an INI file");
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> load(new String[] { "--config", " " }, COMPLETE))
			.withMessage("Invalid value ' ' for setting 'config': the path of an INI file");
	}

	@Test
	void sectionHeaderWithoutItsClosingBracketIsAnError() throws IOException {
		Path file = write("bad.ini", """
				; a comment
				[StatsClientSettings
				dest_host = ini.example.com
				""");
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> StatsClientSettings.loader().configFile(file).load())
			.withMessage("Invalid value '" + file + ":2' for setting 'config': "
					+ "a section header or a key = value or key: value line");
	}

	@Test
	void lineWithAnEmptyKeyIsIgnoredLikeAnUnknownKey() throws IOException {
		Path file = write("empty-key.ini", """
				[StatsClientSettings]
				= orphan.example.com
				: orphan.example.com
				dest_host = ini.example.com
				dest_port = 1
				protocol = udp
				""");
		assertThat(StatsClientSettings.loader().configFile(file).load().destHost()).isEqualTo("ini.example.com");
	}

	@Test
	void configFileThatCannotBeReadIsAnErrorNamingThePathAndTheCause() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> StatsClientSettings.loader().environment(COMPLETE).configFile(this.temp).load())
			.satisfies((ex) -> {
				assertThat(ex.getSetting()).isEqualTo("config");
				assertThat(ex.getValue()).isEqualTo(this.temp.toString());
				assertThat(ex.getAllowed()).startsWith("a readable UTF-8 INI file");
				assertThat(ex.getCause()).isInstanceOf(IOException.class);
			});
	}

	@Test
	void nullConfigFileIsRefusedWhereItIsAdded() {
		StatsClientSettings.Loader loader = StatsClientSettings.loader();
		assertThatIllegalArgumentException().isThrownBy(() -> loader.configFile(null))
			.withMessage("Config file must not be null");
		assertThat(loader.environment(COMPLETE).load().destHost()).isEqualTo("env.example.com");
	}

	@Test
	void malformedLineInTheSectionIsAnErrorWithoutItsContent() throws IOException {
		Path file = write("bad.ini", """
				[StatsClientSettings]
				dest_host = ini.example.com
				%s
				""".formatted(SECRET));
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> StatsClientSettings.loader().configFile(file).load())
			.withMessage("Invalid value '" + file + ":3' for setting 'config': "
					+ "a section header or a key = value or key: value line")
			.satisfies((ex) -> assertThat(ex.getMessage()).doesNotContain(SECRET));
	}

	@Test
	void byteOrderMarkAtTheStartOfAConfigFileIsIgnored() throws IOException {
		Path file = write("bom.ini",
				"\uFEFF[StatsClientSettings]\ndest_host = bom.example.com\ndest_port = 1\n" + "protocol = udp\n");
		assertThat(StatsClientSettings.loader().configFile(file).load().destHost()).isEqualTo("bom.example.com");
	}

	// Precedence

	@Test
	void commandLineFlagWinsOverEnvironment() {
		StatsClientConfig settings = load(new String[] { "--dest_host", "cli.example.com" }, COMPLETE);
		assertThat(settings.destHost()).isEqualTo("cli.example.com");
		assertThat(settings.destPort()).isEqualTo(8080);
	}

	@Test
	void environmentWinsOverConfigFile() throws IOException {
		Path file = write("app.ini", """
				[StatsClientSettings]
				dest_host = ini.example.com
				prefix = ini
				""");
		StatsClientConfig settings = StatsClientSettings.loader().environment(COMPLETE).configFile(file).load();
		assertThat(settings.destHost()).isEqualTo("env.example.com");
		assertThat(settings.prefix()).isEqualTo("ini");
	}

	@Test
	void configFileWinsOverDefault() throws IOException {
		Path file = write("app.ini", """
				[StatsClientSettings]
				protocol = tcp
				""");
		StatsClientConfig settings = StatsClientSettings.loader().environment(COMPLETE).configFile(file).load();
		assertThat(settings.protocol()).isEqualTo(Protocol.TCP);
	}

	@Test
	void defaultProtocolIsHttpAndOptionalSettingsAreUnset() {
		StatsClientConfig settings = load(new String[0],
				Map.of("DEST_HOST", "env.example.com", "DEST_PORT", "443", "SECRET", SECRET));
		assertThat(settings.protocol()).isEqualTo(Protocol.HTTP);
		assertThat(settings.prefix()).isNull();
	}

	@Test
	void eachSettingComesFromTheFirstSourceThatHasIt() throws IOException {
		Path file = write("app.ini", """
				[StatsClientSettings]
				protocol = ws
				dest_host = ini.example.com
				dest_port = 3333
				secret = ini-secret
				prefix = ini
				""");
		StatsClientConfig settings = StatsClientSettings.loader()
			.args("--StatsClientSettings.dest_port=1111")
			.environment(Map.of("STATS_CLIENT_SETTINGS__DEST_PORT", "2222", "PREFIX", "env", "SECRET", "env-secret"))
			.configFile(file)
			.load();
		assertThat(settings.destPort()).isEqualTo(1111);
		assertThat(settings.prefix()).isEqualTo("env");
		assertThat(settings.secret()).isEqualTo("env-secret");
		assertThat(settings.destHost()).isEqualTo("ini.example.com");
		assertThat(settings.protocol()).isEqualTo(Protocol.WS);
	}

	@Test
	void precedenceAcrossAllFourLevels() throws IOException {
		Path file = write("app.ini", """
				[StatsClientSettings]
				protocol = udp
				""");
		StatsClientSettings.Loader loader = StatsClientSettings.loader().configFile(file);
		Map<String, String> environment = new HashMap<>(COMPLETE);
		assertThat(loader.environment(environment).load().protocol()).isEqualTo(Protocol.UDP);
		environment.put("PROTOCOL", "tcp");
		assertThat(loader.environment(environment).load().protocol()).isEqualTo(Protocol.TCP);
		assertThat(loader.args("--protocol", "ws").load().protocol()).isEqualTo(Protocol.WS);
		assertThat(StatsClientSettings.loader().environment(COMPLETE).load().protocol()).isEqualTo(Protocol.HTTP);
	}

	// Protocol

	@ParameterizedTest
	@ValueSource(strings = { "udp", "UDP", "Udp", " uDp " })
	void protocolIsCaseInsensitive(String value) {
		assertThat(load(new String[] { "--protocol", value }, COMPLETE).protocol()).isEqualTo(Protocol.UDP);
	}

	@Test
	void everyProtocolIsAccepted() {
		assertThat(load(new String[] { "--protocol=HTTP" }, COMPLETE).protocol()).isEqualTo(Protocol.HTTP);
		assertThat(load(new String[] { "--protocol=Tcp" }, COMPLETE).protocol()).isEqualTo(Protocol.TCP);
		assertThat(load(new String[] { "--protocol=udp" }, COMPLETE).protocol()).isEqualTo(Protocol.UDP);
		assertThat(load(new String[] { "--protocol=WS" }, COMPLETE).protocol()).isEqualTo(Protocol.WS);
	}

	// Validation

	@Test
	void unknownProtocolIsRejected() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> load(new String[] { "--protocol", "https" }, COMPLETE))
			.withMessage("Invalid value 'https' for setting 'protocol': one of http, tcp, udp, ws")
			.satisfies((ex) -> {
				assertThat(ex.getSetting()).isEqualTo("protocol");
				assertThat(ex.getValue()).isEqualTo("https");
				assertThat(ex.getAllowed()).isEqualTo("one of http, tcp, udp, ws");
			});
	}

	@Test
	void nonIntegerPortIsRejected() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> load(new String[] { "--dest_port", "http" }, COMPLETE))
			.withMessage("Invalid value 'http' for setting 'dest_port': a port between 1 and 65535");
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> load(new String[] { "--dest_port", "80.5" }, COMPLETE))
			.withMessage("Invalid value '80.5' for setting 'dest_port': a port between 1 and 65535");
	}

	@ParameterizedTest
	@ValueSource(strings = { "0", "-1", "65536", "99999999999" })
	void portOutsideRangeIsRejected(String port) {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> load(new String[] { "--dest_port", port }, COMPLETE))
			.withMessage("Invalid value '" + port + "' for setting 'dest_port': a port between 1 and 65535");
	}

	@Test
	void portRangeBoundsAreAccepted() {
		assertThat(load(new String[] { "--dest_port=1" }, COMPLETE).destPort()).isEqualTo(1);
		assertThat(load(new String[] { "--dest_port= 65535 " }, COMPLETE).destPort()).isEqualTo(65535);
	}

	@Test
	void missingDestHostIsRejected() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> load(new String[0], Map.of("DEST_PORT", "443", "SECRET", SECRET)))
			.withMessage("Invalid value (none) for setting 'dest_host': "
					+ "the host name or IP address of the metrics service, without scheme, port or path")
			.satisfies((ex) -> assertThat(ex.getValue()).isNull());
	}

	@Test
	void missingDestPortIsRejected() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> load(new String[0], Map.of("DEST_HOST", "env.example.com", "SECRET", SECRET)))
			.withMessage("Invalid value (none) for setting 'dest_port': a port between 1 and 65535");
	}

	@Test
	void missingSecretIsRejectedForHttp() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> load(new String[0], Map.of("DEST_HOST", "env.example.com", "DEST_PORT", "443")))
			.withMessage("Invalid value (none) for setting 'secret': a secret is required for protocol http");
	}

	@Test
	void missingSecretIsRejectedForWs() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> load(new String[] { "--protocol=WS" },
					Map.of("DEST_HOST", "env.example.com", "DEST_PORT", "443")))
			.withMessage("Invalid value (none) for setting 'secret': a secret is required for protocol ws");
	}

	@ParameterizedTest
	@ValueSource(strings = { "tcp", "udp" })
	void secretIsOptionalForStatsdProtocols(String protocol) {
		StatsClientConfig settings = load(new String[] { "--protocol", protocol },
				Map.of("DEST_HOST", "localhost", "DEST_PORT", "8125"));
		assertThat(settings.secret()).isNull();
	}

	@Test
	void secretIsKeptVerbatim() {
		StatsClientConfig settings = load(new String[] { "--secret= padded " }, COMPLETE);
		assertThat(settings.secret()).isEqualTo(" padded ");
	}

	@Test
	void secretNeverAppearsInValidationMessages() {
		assertThatExceptionOfType(InvalidSettingException.class)
			.isThrownBy(() -> load(new String[] { "--dest_port=none" }, COMPLETE))
			.satisfies((ex) -> assertThat(ex.getMessage()).doesNotContain(SECRET));
	}

	// toString

	@Test
	void toStringMasksTheSecret() {
		StatsClientConfig settings = load(new String[] { "--prefix=myapp" }, COMPLETE);
		assertThat(settings.toString())
			.startsWith("StatsClientConfig[protocol=http, dest_host=env.example.com, "
					+ "dest_port=8080, secret=****, prefix=myapp, max_names=10000")
			.doesNotContain(SECRET);
	}

	@Test
	void toStringLeavesOutUnsetOptionalSettings() {
		StatsClientConfig settings = load(new String[] { "--protocol=udp" },
				Map.of("DEST_HOST", "localhost", "DEST_PORT", "8125"));
		assertThat(settings.toString())
			.startsWith("StatsClientConfig[protocol=udp, dest_host=localhost, " + "dest_port=8125, max_names=10000")
			.doesNotContain("secret")
			.doesNotContain("prefix");
	}

	@Test
	void aSecretWithAStatsdProtocolIsIgnored() {
		StatsClientConfig settings = load(new String[] { "--protocol=udp" }, COMPLETE);
		assertThat(settings.secret()).isNull();
	}

	private static StatsClientConfig load(String[] args, Map<String, String> environment) {
		return StatsClientSettings.loader().args(args).environment(environment).load();
	}

	private Path write(String name, String content) throws IOException {
		return Files.writeString(this.temp.resolve(name), content, StandardCharsets.UTF_8);
	}

}
