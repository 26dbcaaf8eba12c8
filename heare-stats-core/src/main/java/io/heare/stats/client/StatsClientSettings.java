package io.heare.stats.client;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Objects;

import io.heare.stats.client.StatsClientConfig.Setting;

/**
 * Loads a {@link StatsClientConfig} the way the Python client's heare-config
 * {@code StatsClientSettings} reads its settings, so that one deployment configures both
 * alike.
 * <p>
 * It reads the five settings the Python client has ({@code protocol}, {@code dest_host},
 * {@code dest_port}, {@code secret}, {@code prefix}; see {@link StatsClientConfig} for
 * each), the protocol in any case, and takes each from the first of these sources that
 * has it:
 * <ol>
 * <li>command-line flags: {@code --dest_host X}, {@code --dest_host=X}, or the qualified
 * {@code --StatsClientSettings.dest_host X} and
 * {@code --StatsClientSettings.dest_host=X}. Unknown flags are ignored, because the
 * application has flags of its own; a bare {@code --} ends the flags. When a setting is
 * given more than once, the last one wins. A value that starts with {@code --} must use
 * the {@code =} form;</li>
 * <li>environment variables: {@code STATS_CLIENT_SETTINGS__DEST_HOST} or the short
 * {@code DEST_HOST}. Setting both forms of one setting to different values is an error.
 * The short form is read here only: the Spring Boot starter reads the qualified form,
 * since names as generic as {@code PREFIX} or {@code SECRET} in an application's
 * environment often mean something else;</li>
 * <li>INI files, section {@code [StatsClientSettings]}, with {@code key = value} or
 * {@code key: value} lines and {@code ;} or {@code #} comment lines. Files are read in
 * order and a later file overrides an earlier one. Files added with
 * {@link Loader#configFile(Path)} come first, then those named on the command line with
 * {@code --config FILE} or {@code --config=FILE} (repeatable). A file that is named but
 * does not exist is an error;</li>
 * <li>the setting's default.</li>
 * </ol>
 * A blank value counts as unset in every source, so an empty {@code DEST_HOST=} exported
 * by a shell falls through to the next source instead of hiding it.
 * <p>
 * Typical use, in an application's {@code main}: <pre class="code">
 * StatsClient client = StatsClient.create(StatsClientSettings.load(args));
 * </pre> Tests and applications that embed the client use {@link #loader()} to choose the
 * sources explicitly: <pre class="code">
 * StatsClientConfig config = StatsClientSettings.loader()
 * 	.args(args)
 * 	.environment(Map.of("DEST_HOST", "localhost", "DEST_PORT", "8125", "PROTOCOL", "udp"))
 * 	.configFile(Path.of("/etc/myapp/stats.ini"))
 * 	.load();
 * </pre> Every problem is reported as an {@link InvalidSettingException} naming the
 * setting as the user writes it. The secret's value never appears in a message.
 */
public final class StatsClientSettings {

	private static final String SECTION = "StatsClientSettings";

	private static final String MASK = "****";

	private StatsClientSettings() {
	}

	/**
	 * Loads the settings from the command line, the process environment and the INI files
	 * named with {@code --config}.
	 * @param args the application's command-line arguments; flags it does not know are
	 * ignored
	 * @return the validated configuration
	 * @throws InvalidSettingException if a setting is missing, invalid or ambiguous, or a
	 * named config file cannot be read
	 */
	public static StatsClientConfig load(String... args) {
		return loader().args(args).environment(System.getenv()).load();
	}

	/**
	 * A loader that reads only the sources it is given: no arguments, no environment and
	 * no config files until they are set.
	 */
	public static Loader loader() {
		return new Loader();
	}

	private static StatsClientConfig validate(Map<Setting<?>, String> values) {
		StatsClientConfig.Builder builder = StatsClientConfig.builder();
		values.forEach((setting, value) -> set(builder, setting, value));
		return builder.build();
	}

	private static <T> void set(StatsClientConfig.Builder builder, Setting<T> setting, String value) {
		builder.set(setting, setting.type().cast(parse(setting, value)));
	}

	private static Object parse(Setting<?> setting, String value) {
		Class<?> type = setting.type();
		if (type == String.class) {
			// Kept verbatim: a secret is opaque and surrounding spaces may be part of it.
			return setting.isSecret() ? value : value.strip();
		}
		if (type == Integer.class) {
			try {
				return Integer.parseInt(value.strip());
			}
			catch (NumberFormatException ex) {
				throw new InvalidSettingException(setting.name(), value, setting.allowed());
			}
		}
		if (type.isEnum()) {
			for (Object constant : type.getEnumConstants()) {
				if (((Enum<?>) constant).name().equalsIgnoreCase(value.strip())) {
					return constant;
				}
			}
			throw new InvalidSettingException(setting.name(), value, setting.allowed());
		}
		throw new IllegalStateException("No parser for setting " + setting.name() + " of type " + type.getName());
	}

	private static String stripped(String value) {
		return (value != null) ? value.strip() : null;
	}

	private static boolean hasText(String value) {
		return value != null && !value.isBlank();
	}

	/**
	 * Chooses the sources that {@link StatsClientSettings} are loaded from. Not
	 * thread-safe; {@link #load()} may be called more than once.
	 */
	public static final class Loader {

		private List<String> args = Collections.emptyList();

		private Map<String, String> environment = Collections.emptyMap();

		private final List<Path> configFiles = new ArrayList<>();

		private Loader() {
		}

		/**
		 * Sets the command-line arguments, replacing any set before. {@code --config}
		 * flags among them name INI files that are read after those added with
		 * {@link #configFile(Path)}.
		 */
		public Loader args(String... args) {
			this.args = (args != null) ? Arrays.stream(args).filter(Objects::nonNull).toList()
					: Collections.emptyList();
			return this;
		}

		/**
		 * Sets the environment variables to read, replacing any set before. Pass
		 * {@code System.getenv()} for the process environment.
		 */
		public Loader environment(Map<String, String> environment) {
			this.environment = (environment != null) ? new HashMap<>(environment) : Collections.emptyMap();
			return this;
		}

		/**
		 * Adds an INI file to read. Files are read in the order they are added, a later
		 * one overriding an earlier one. The file must exist.
		 */
		public Loader configFile(Path file) {
			if (file == null) {
				throw new IllegalArgumentException("Config file must not be null");
			}
			this.configFiles.add(file);
			return this;
		}

		/**
		 * Reads the sources and validates the result.
		 * @return the settings
		 * @throws InvalidSettingException if a setting is missing, invalid or ambiguous,
		 * or a config file cannot be read
		 */
		public StatsClientConfig load() {
			CommandLine commandLine = CommandLine.parse(this.args);
			Map<Setting<?>, String> fromEnvironment = readEnvironment(this.environment);
			Map<Setting<?>, String> fromFiles = new HashMap<>();
			List<Path> files = new ArrayList<>(this.configFiles);
			files.addAll(commandLine.configFiles);
			for (Path file : files) {
				IniFile.read(file, fromFiles);
			}
			Map<Setting<?>, String> values = new LinkedHashMap<>();
			for (Setting<?> setting : SHARED) {
				String value = commandLine.values.get(setting);
				if (value == null) {
					value = fromEnvironment.get(setting);
				}
				if (value == null) {
					value = fromFiles.get(setting);
				}
				if (value != null) {
					values.put(setting, value);
				}
			}
			return validate(values);
		}

		private static Map<Setting<?>, String> readEnvironment(Map<String, String> environment) {
			Map<Setting<?>, String> values = new HashMap<>();
			for (Setting<?> setting : SHARED) {
				String qualified = environment.get(setting.environmentVariable());
				String plain = environment.get(plainVariable(setting));
				if (hasText(qualified) && hasText(plain) && !qualified.equals(plain)) {
					// Checked even when a flag overrides the setting: the conflict would
					// resurface, unnoticed, as soon as the flag is dropped.
					throw new InvalidSettingException(setting.name(), display(setting, plain),
							"environment variables " + setting.environmentVariable() + " and " + plainVariable(setting)
									+ " are both set, to different values ('" + display(setting, qualified) + "' and '"
									+ display(setting, plain) + "'); unset one of them or give both the same value");
				}
				if (hasText(qualified)) {
					values.put(setting, qualified);
				}
				else if (hasText(plain)) {
					values.put(setting, plain);
				}
			}
			return values;
		}

	}

	/**
	 * The settings the Python client shares: those {@link StatsClientConfig} declares
	 * with an environment variable.
	 */
	private static final List<Setting<?>> SHARED = StatsClientConfig.settings()
		.stream()
		.filter((setting) -> setting.environmentVariable() != null)
		.toList();

	private static String plainVariable(Setting<?> setting) {
		return setting.name().toUpperCase(Locale.ROOT);
	}

	private static String display(Setting<?> setting, String value) {
		return setting.isSecret() ? MASK : value;
	}

	private static Setting<?> forKey(String key) {
		for (Setting<?> setting : SHARED) {
			if (setting.name().equals(key)) {
				return setting;
			}
		}
		return null;
	}

	/** The settings and config files found among an application's arguments. */
	private static final class CommandLine {

		private static final String QUALIFIER = SECTION + ".";

		private static final String CONFIG = "config";

		private final Map<Setting<?>, String> values = new HashMap<>();

		private final List<Path> configFiles = new ArrayList<>();

		static CommandLine parse(List<String> args) {
			CommandLine commandLine = new CommandLine();
			for (int i = 0; i < args.size(); i++) {
				String arg = args.get(i);
				if (arg.equals("--")) {
					break;
				}
				if (!arg.startsWith("--")) {
					continue;
				}
				String body = arg.substring(2);
				int equals = body.indexOf('=');
				String name = (equals >= 0) ? body.substring(0, equals) : body;
				boolean config = name.equals(CONFIG);
				String key = name.startsWith(QUALIFIER) ? name.substring(QUALIFIER.length()) : name;
				Setting<?> setting = forKey(key);
				if (!config && setting == null) {
					continue;
				}
				String value;
				if (equals >= 0) {
					value = body.substring(equals + 1);
				}
				else if (i + 1 < args.size() && !args.get(i + 1).startsWith("--")) {
					value = args.get(++i);
				}
				else {
					throw new InvalidSettingException(config ? CONFIG : setting.name(), null,
							"a value after --" + name + " (use --" + name + "=VALUE for a value starting with --)");
				}
				if (config) {
					if (!hasText(value)) {
						throw new InvalidSettingException(CONFIG, value, "the path of an INI file");
					}
					commandLine.configFiles.add(Path.of(value));
				}
				else if (hasText(value)) {
					commandLine.values.put(setting, value);
				}
			}
			return commandLine;
		}

	}

	/** Reads the {@code [StatsClientSettings]} section of an INI file. */
	private static final class IniFile {

		private static final String CONFIG = "config";

		static void read(Path file, Map<Setting<?>, String> into) {
			List<String> lines;
			try {
				lines = Files.readAllLines(file, StandardCharsets.UTF_8);
			}
			catch (NoSuchFileException ex) {
				throw new InvalidSettingException(CONFIG, file.toString(), "the path of an existing INI file");
			}
			catch (IOException ex) {
				InvalidSettingException failure = new InvalidSettingException(CONFIG, file.toString(),
						"a readable UTF-8 INI file (" + ex + ")");
				failure.initCause(ex);
				throw failure;
			}
			boolean inSection = false;
			for (int number = 1; number <= lines.size(); number++) {
				String line = lines.get(number - 1);
				if (number == 1 && line.startsWith("\uFEFF")) {
					line = line.substring(1);
				}
				line = line.strip();
				if (line.isEmpty() || line.startsWith(";") || line.startsWith("#")) {
					continue;
				}
				if (line.startsWith("[")) {
					if (!line.endsWith("]")) {
						throw malformed(file, number);
					}
					inSection = line.substring(1, line.length() - 1).strip().equals(SECTION);
					continue;
				}
				if (!inSection) {
					continue;
				}
				int separator = separatorIndex(line);
				if (separator < 0) {
					throw malformed(file, number);
				}
				// Keys are case-insensitive, as in Python's configparser.
				Setting<?> setting = forKey(line.substring(0, separator).strip().toLowerCase(Locale.ROOT));
				String value = line.substring(separator + 1).strip();
				if (setting != null && hasText(value)) {
					into.put(setting, value);
				}
			}
		}

		private static int separatorIndex(String line) {
			int equals = line.indexOf('=');
			int colon = line.indexOf(':');
			if (equals < 0 || colon < 0) {
				return Math.max(equals, colon);
			}
			return Math.min(equals, colon);
		}

		// The line itself is left out: it may hold the secret.
		private static InvalidSettingException malformed(Path file, int number) {
			return new InvalidSettingException(CONFIG, file + ":" + number,
					"a section header or a key = value or key: value line");
		}

	}

}
