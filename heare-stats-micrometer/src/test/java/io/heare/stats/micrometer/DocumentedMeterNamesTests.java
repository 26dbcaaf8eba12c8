package io.heare.stats.micrometer;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import io.heare.stats.test.InMemoryStatsClient;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.Tag;
import io.micrometer.core.instrument.Tags;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Tests that every example of the Micrometer names table in {@code docs/metrics.md}
 * ("meter and tags" to "heare name", with the prefix {@code myapp}) is the name this
 * registry sends.
 */
class DocumentedMeterNamesTests {

	private static final Path PAGE = Path.of("../docs/metrics.md");

	private static final String PREFIX = "myapp.";

	private final HeareMeterRegistry registry = HeareMeterRegistry
		.builder(HeareConfig.DEFAULT, new InMemoryStatsClient())
		.build();

	@AfterEach
	void close() {
		this.registry.close();
	}

	@Test
	void everyDocumentedExampleIsTheNameTheRegistrySends() throws IOException {
		List<String[]> examples = examples();
		assertThat(examples).as("examples in docs/metrics.md").hasSizeGreaterThanOrEqualTo(3);
		for (String[] example : examples) {
			assertThat(PREFIX + this.registry.heareName(id(example[0], example[1]))).as(example[0] + " " + example[1])
				.isEqualTo(example[2]);
		}
	}

	// Rows whose second cell is a name with the prefix, such as
	// | `jvm.memory.used` area=heap, id=G1 Eden Space | `myapp.jvm.memory...` (gauge) |
	private static List<String[]> examples() throws IOException {
		List<String[]> examples = new ArrayList<>();
		for (String line : Files.readAllLines(PAGE)) {
			String[] cells = line.split("\\|");
			if (cells.length < 3 || !cells[2].trim().startsWith("`" + PREFIX)) {
				continue;
			}
			String meter = cells[1].trim();
			int nameEnd = meter.indexOf('`', 1);
			String name = meter.substring(1, nameEnd);
			String tags = meter.substring(nameEnd + 1).trim();
			int note = tags.indexOf(" (");
			tags = (note >= 0) ? tags.substring(0, note) : tags;
			String heareName = cells[2].trim().substring(1, cells[2].trim().indexOf('`', 1));
			examples.add(new String[] { name, tags, heareName });
		}
		return examples;
	}

	private static Meter.Id id(String name, String tags) {
		List<Tag> list = new ArrayList<>();
		for (String tag : tags.split(", ")) {
			if (!tag.isBlank()) {
				int equals = tag.indexOf('=');
				list.add(Tag.of(tag.substring(0, equals), tag.substring(equals + 1)));
			}
		}
		return new Meter.Id(name, Tags.of(list), null, null, Meter.Type.OTHER);
	}

}
