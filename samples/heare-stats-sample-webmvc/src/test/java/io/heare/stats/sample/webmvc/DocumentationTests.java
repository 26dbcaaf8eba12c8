package io.heare.stats.sample.webmvc;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Enumeration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import javax.tools.DiagnosticCollector;
import javax.tools.JavaCompiler;
import javax.tools.JavaFileObject;
import javax.tools.SimpleJavaFileObject;
import javax.tools.StandardJavaFileManager;
import javax.tools.ToolProvider;

import com.jayway.jsonpath.JsonPath;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;
import org.yaml.snakeyaml.Yaml;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests of the repository's documentation as a reader meets it: every relative link and
 * anchor of every Markdown file leads somewhere, every Java snippet of the README and
 * {@code docs} compiles against this project's artifacts, every YAML snippet sets only
 * properties that exist, and the README's health settings are those with which this
 * sample shows its health details.
 */
class DocumentationTests {

	private static final Path ROOT = Path.of("..", "..");

	private static final Set<String> SKIPPED_FOLDERS = Set.of("target", "node_modules", ".git", ".mvn");

	private static final Pattern FENCE = Pattern.compile("(?ms)^```.*?^```");

	private static final Pattern CODE_SPAN = Pattern.compile("`[^`\n]*`");

	private static final Pattern LINK = Pattern.compile("!?\\[[^\\]]*\\]\\(([^)\\s]+)\\)");

	private static final Pattern HEADING = Pattern.compile("(?m)^#{1,6}\\s+(.+?)\\s*$");

	private static final Pattern JAVA = Pattern.compile("(?ms)^```java\n(.*?)^```");

	private static final Pattern YAML = Pattern.compile("(?ms)^```yaml\n(.*?)^```");

	private static final Pattern TYPE = Pattern
		.compile("(?m)^(?:public\\s+)?(?:final\\s+)?(?:class|record|interface|enum)\\s+(\\w+)");

	@Test
	void readmeIsShortEnoughToReadInTenMinutes() throws IOException {
		assertThat(Files.readAllLines(ROOT.resolve("README.md"))).hasSizeLessThan(200);
	}

	@Test
	void everyRelativeLinkAndAnchorResolves() throws IOException {
		List<Path> pages = markdownFiles();
		assertThat(pages).contains(ROOT.resolve("README.md").normalize(), ROOT.resolve("docs/metrics.md").normalize());
		List<String> broken = new ArrayList<>();
		for (Path page : pages) {
			Matcher link = LINK.matcher(prose(Files.readString(page)));
			while (link.find()) {
				String target = link.group(1);
				if (target.matches("^[a-zA-Z][a-zA-Z0-9+.-]*:.*")) {
					continue; // http:, https:, mailto: are not checked here
				}
				String problem = problem(page, target);
				if (problem != null) {
					broken.add(ROOT.relativize(page) + ": " + target + " (" + problem + ")");
				}
			}
		}
		assertThat(broken).as("broken links").isEmpty();
	}

	@Test
	void readmeHealthSettingsAreThoseWithWhichTheSampleShowsHealthDetails() throws IOException {
		String readme = Files.readString(ROOT.resolve("README.md"));
		Matcher snippet = Pattern.compile("(?ms)^```yaml\n(management:\n.*?)^```").matcher(readme);
		assertThat(snippet.find()).as("a management yaml snippet in the README").isTrue();
		Map<String, Object> shown = flatten(new Yaml().load(snippet.group(1)));
		assertThat(shown).containsKey("management.endpoint.health.show-details");
		Map<String, Object> sample = flatten(
				new Yaml().load(Files.readString(Path.of("src/main/resources/application.yml"))));
		// SampleWebMvcApplicationTests checks that these settings show the details.
		assertThat(sample).containsAllEntriesOf(shown);
	}

	@Test
	void everyYamlSnippetSetsOnlyPropertiesThatExist() throws IOException {
		Set<String> known = new HashSet<>();
		Enumeration<URL> metadata = getClass().getClassLoader()
			.getResources("META-INF/spring-configuration-metadata.json");
		while (metadata.hasMoreElements()) {
			try (InputStream in = metadata.nextElement().openStream()) {
				known.addAll(JsonPath.<List<String>>read(in, "$.properties[*].name"));
			}
		}
		assertThat(known).contains("heare.stats.dest-host", "management.endpoint.health.show-details");
		List<String> unknown = new ArrayList<>();
		for (Path page : pages()) {
			Matcher yaml = YAML.matcher(Files.readString(page));
			while (yaml.find()) {
				for (String key : flatten(new Yaml().load(yaml.group(1))).keySet()) {
					// A map property's keys follow its name.
					if (!known.contains(key) && known.stream().noneMatch((name) -> key.startsWith(name + "."))) {
						unknown.add(ROOT.relativize(page) + ": " + key);
					}
				}
			}
		}
		assertThat(unknown).as("properties no module declares").isEmpty();
	}

	@ParameterizedTest(name = "{0}")
	@MethodSource("javaSnippets")
	void javaSnippetCompiles(String where, String snippet, @TempDir Path classes) {
		String source = compilationUnit(snippet);
		Matcher type = TYPE.matcher(source);
		String name = type.find() ? type.group(1) : "Snippet";
		JavaFileObject file = new SimpleJavaFileObject(URI.create("string:///" + name + ".java"),
				JavaFileObject.Kind.SOURCE) {
			@Override
			public CharSequence getCharContent(boolean ignoreEncodingErrors) {
				return source;
			}
		};
		JavaCompiler compiler = ToolProvider.getSystemJavaCompiler();
		DiagnosticCollector<JavaFileObject> diagnostics = new DiagnosticCollector<>();
		StandardJavaFileManager files = compiler.getStandardFileManager(diagnostics, Locale.ROOT,
				StandardCharsets.UTF_8);
		List<String> options = List.of("-classpath", classpath(), "-d", classes.toString(), "-proc:none");
		boolean compiled = compiler.getTask(null, files, diagnostics, options, null, List.of(file)).call();
		assertThat(compiled).as("%s compiles as\n%s\n%s", where, source, diagnostics.getDiagnostics()).isTrue();
	}

	static Stream<Arguments> javaSnippets() throws IOException {
		List<Arguments> snippets = new ArrayList<>();
		for (Path page : pages()) {
			String text = Files.readString(page);
			Matcher java = JAVA.matcher(text);
			while (java.find()) {
				int line = (int) text.substring(0, java.start()).lines().count() + 1;
				snippets.add(Arguments.of(ROOT.relativize(page) + ":" + line, java.group(1)));
			}
		}
		return snippets.stream();
	}

	// The README and the reference.
	private static List<Path> pages() throws IOException {
		List<Path> pages = new ArrayList<>(List.of(ROOT.resolve("README.md")));
		try (Stream<Path> docs = Files.list(ROOT.resolve("docs"))) {
			docs.filter((path) -> path.toString().endsWith(".md")).sorted().forEach(pages::add);
		}
		return pages;
	}

	// A snippet that declares a type is compiled as it is. Statements go into a method
	// with args, as in main, with only the snippet's own imports: a reader copies those.
	private static String compilationUnit(String snippet) {
		StringBuilder imports = new StringBuilder();
		List<String> lines = snippet.lines().toList();
		int body = 0;
		while (body < lines.size() && (lines.get(body).startsWith("import ") || lines.get(body).isBlank())) {
			imports.append(lines.get(body++)).append('\n');
		}
		String rest = String.join("\n", lines.subList(body, lines.size()));
		String unit = "package io.heare.stats.sample.webmvc;\n\n" + imports;
		if (TYPE.matcher(rest).find()) {
			return unit + rest + "\n";
		}
		return unit + "\nclass Snippet {\n\n\tstatic void run(String[] args) throws Exception {\n" + rest
				+ "\n\t}\n\n}\n";
	}

	private static String classpath() {
		return System.getProperty("surefire.test.class.path", System.getProperty("java.class.path"));
	}

	private static String problem(Path page, String target) {
		int hash = target.indexOf('#');
		String path = (hash >= 0) ? target.substring(0, hash) : target;
		String anchor = (hash >= 0) ? target.substring(hash + 1) : null;
		Path resolved = path.isEmpty() ? page : page.getParent().resolve(path).normalize();
		if (!Files.exists(resolved)) {
			return "no such file";
		}
		if (anchor != null) {
			if (!resolved.toString().endsWith(".md")) {
				return "an anchor into a file that is not Markdown";
			}
			if (!anchors(resolved).contains(anchor)) {
				return "no such heading";
			}
		}
		return null;
	}

	// GitHub's heading ids: lower case, punctuation removed, each space a hyphen, and a
	// number after an id that is repeated.
	private static List<String> anchors(Path page) {
		try {
			List<String> anchors = new ArrayList<>();
			Map<String, Integer> seen = new HashMap<>();
			Matcher heading = HEADING.matcher(FENCE.matcher(Files.readString(page)).replaceAll(""));
			while (heading.find()) {
				String text = heading.group(1).replaceAll("\\[([^\\]]*)\\]\\([^)]*\\)", "$1");
				String id = text.toLowerCase(Locale.ROOT).replaceAll("[^\\p{L}\\p{N} _-]", "").replace(' ', '-');
				int count = seen.merge(id, 1, Integer::sum);
				anchors.add((count == 1) ? id : id + "-" + (count - 1));
			}
			return anchors;
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

	private static String prose(String markdown) {
		return CODE_SPAN.matcher(FENCE.matcher(markdown).replaceAll("")).replaceAll("");
	}

	private static List<Path> markdownFiles() throws IOException {
		try (Stream<Path> paths = Files.walk(ROOT.normalize())) {
			return paths.filter((path) -> path.toString().endsWith(".md"))
				.filter(DocumentationTests::outsideSkippedFolders)
				.map(Path::normalize)
				.sorted()
				.toList();
		}
	}

	private static boolean outsideSkippedFolders(Path path) {
		for (Path part : ROOT.normalize().relativize(path)) {
			if (SKIPPED_FOLDERS.contains(part.toString())) {
				return false;
			}
		}
		return true;
	}

	@SuppressWarnings("unchecked")
	private static Map<String, Object> flatten(Map<String, Object> yaml) {
		Map<String, Object> flat = new LinkedHashMap<>();
		yaml.forEach((key, value) -> {
			if (value instanceof Map<?, ?> nested) {
				flatten((Map<String, Object>) nested)
					.forEach((subKey, subValue) -> flat.put(key + "." + subKey, subValue));
			}
			else {
				flat.put(key, value);
			}
		});
		return flat;
	}

}
