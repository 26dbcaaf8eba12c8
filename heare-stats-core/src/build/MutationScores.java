import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import javax.xml.parsers.DocumentBuilderFactory;

import org.w3c.dom.Element;
import org.w3c.dom.NodeList;

/**
 * Prints PIT's results per class (nested classes counted with their outer class) and fails
 * when a class detects fewer of its mutants than the threshold: PIT itself only checks the
 * share over all classes, where a strong class hides a weak one.
 * <p>
 * Usage: {@code java MutationScores.java <mutations.xml> <percent>}
 */
public final class MutationScores {

	public static void main(String[] args) throws Exception {
		Path report = Path.of(args[0]);
		int threshold = Integer.parseInt(args[1]);
		if (!Files.exists(report)) {
			System.out.println("No PIT report at " + report + ": nothing to check");
			return;
		}
		NodeList mutations = DocumentBuilderFactory.newInstance()
			.newDocumentBuilder()
			.parse(report.toFile())
			.getElementsByTagName("mutation");
		Map<String, int[]> byClass = new TreeMap<>();
		for (int i = 0; i < mutations.getLength(); i++) {
			Element mutation = (Element) mutations.item(i);
			String mutated = mutation.getElementsByTagName("mutatedClass").item(0).getTextContent();
			int nested = mutated.indexOf('$');
			String owner = (nested > 0) ? mutated.substring(0, nested) : mutated;
			// {mutants, detected, survived, no coverage, timed out}
			int[] counts = byClass.computeIfAbsent(owner, (key) -> new int[5]);
			counts[0]++;
			if (Boolean.parseBoolean(mutation.getAttribute("detected"))) {
				counts[1]++;
			}
			switch (mutation.getAttribute("status")) {
				case "SURVIVED" -> counts[2]++;
				case "NO_COVERAGE" -> counts[3]++;
				case "TIMED_OUT" -> counts[4]++;
				default -> {
				}
			}
		}
		System.out.printf("%-52s %7s %9s %8s %11s %9s%n", "class", "mutants", "detected", "survived", "no coverage",
				"timed out");
		int failing = 0;
		int[] total = new int[5];
		for (Map.Entry<String, int[]> entry : byClass.entrySet()) {
			int[] counts = entry.getValue();
			for (int i = 0; i < counts.length; i++) {
				total[i] += counts[i];
			}
			boolean below = counts[1] * 100 < threshold * counts[0];
			failing += below ? 1 : 0;
			System.out.printf("%-52s %7d %8d%% %8d %11d %9d%s%n", entry.getKey(), counts[0], percent(counts),
					counts[2], counts[3], counts[4], below ? "  < " + threshold + " %" : "");
		}
		System.out.printf("%-52s %7d %8d%% %8d %11d %9d%n", "all", total[0], percent(total), total[2], total[3],
				total[4]);
		if (failing > 0) {
			System.err.println(failing + " class(es) detect fewer than " + threshold + " % of their mutants");
			System.exit(1);
		}
	}

	private static int percent(int[] counts) {
		return (counts[0] == 0) ? 100 : (int) Math.floor(100.0 * counts[1] / counts[0]);
	}

}
