package io.heare.stats.testsupport;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the tables of the reference in the repository's {@code docs} folder, so that
 * tests can compare what the documentation lists with what the code does.
 */
public final class ReferenceDocs {

	private static final Path DOCS = findDocs();

	private static final Pattern CODE = Pattern.compile("`([^`]+)`");

	private ReferenceDocs() {
	}

	/**
	 * The rows of every table in one section of a page: the lines that start with
	 * {@code |}, without the header and separator rows, split into their cells.
	 * @param page the file name in {@code docs}, e.g. {@code metrics.md}
	 * @param section the text of the {@code ##} heading, without the hashes
	 * @return the rows, each a list of trimmed cells
	 */
	public static List<List<String>> tableRows(String page, String section) {
		List<List<String>> rows = new ArrayList<>();
		boolean inSection = false;
		String previous = "";
		for (String line : lines(page)) {
			if (line.startsWith("## ")) {
				inSection = line.substring(3).trim().equals(section);
			}
			else if (inSection && line.startsWith("|") && !line.startsWith("|---")) {
				boolean header = !previous.startsWith("|");
				if (!header) {
					rows.add(cells(line));
				}
			}
			previous = line;
		}
		if (rows.isEmpty()) {
			throw new IllegalStateException("No table rows in section '" + section + "' of docs/" + page);
		}
		return rows;
	}

	/**
	 * The code spans ({@code `...`}) of a cell.
	 * @param cell the cell's text
	 * @return the text of each code span, in order
	 */
	public static List<String> codeSpans(String cell) {
		List<String> spans = new ArrayList<>();
		Matcher matcher = CODE.matcher(cell);
		while (matcher.find()) {
			spans.add(matcher.group(1));
		}
		return spans;
	}

	private static List<String> cells(String row) {
		// "\|" inside a cell is an escaped pipe, not a column boundary.
		String[] parts = row.replace("\\|", "\u0000").split("\\|", -1);
		List<String> cells = new ArrayList<>();
		for (int i = 1; i < parts.length - 1; i++) {
			cells.add(parts[i].replace('\u0000', '|').trim());
		}
		return cells;
	}

	// The repository's docs folder: above the module, or above the copy of the build that
	// runs this suite as a consumer check.
	private static Path findDocs() {
		Path start = Path.of("").toAbsolutePath();
		for (Path folder = start; folder != null; folder = folder.getParent()) {
			if (Files.isRegularFile(folder.resolve("docs").resolve("configuration.md"))) {
				return folder.resolve("docs");
			}
		}
		throw new IllegalStateException("No docs/configuration.md in " + start + " or a folder above it");
	}

	private static List<String> lines(String page) {
		try {
			return Files.readAllLines(DOCS.resolve(page));
		}
		catch (IOException ex) {
			throw new UncheckedIOException(ex);
		}
	}

}
