package io.heare.stats.architecture;

import java.io.IOException;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Set;
import java.util.jar.JarFile;

import com.tngtech.archunit.core.importer.Location;
import com.tngtech.archunit.junit.AnalyzeClasses;
import com.tngtech.archunit.junit.ArchTest;
import com.tngtech.archunit.junit.LocationProvider;
import com.tngtech.archunit.lang.ArchRule;

import io.heare.stats.client.StatsClient;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * Architecture rules for the core: it depends on nothing but the JDK and its declared
 * dependency (SLF4J), so on no framework, and its packages have no cycles.
 */
@AnalyzeClasses(locations = ArchitectureTests.ThisModule.class)
class ArchitectureTests {

	@ArchTest
	static final ArchRule dependsOnlyOnTheJdkAndItsDeclaredDependencies = classes().should()
		.onlyDependOnClassesThat()
		.resideInAnyPackage("io.heare.stats..", "java..", "javax.net.ssl..", "org.slf4j..")
		.because("the core is framework-free: Spring, Micrometer and the rest integrate with it from other modules");

	@ArchTest
	static final ArchRule hasNoPackageCycles = slices().matching("io.heare.stats.(**)").should().beFreeOfCycles();

	/**
	 * This module's own classes only, wherever they are loaded from (its build's classes
	 * directory, or its jar when another build reruns these tests), without the other
	 * modules' classes that share its packages.
	 */
	static final class ThisModule implements LocationProvider {

		@Override
		public Set<Location> get(Class<?> testClass) {
			try {
				Path path = Path.of(StatsClient.class.getProtectionDomain().getCodeSource().getLocation().toURI());
				return Set.of(Files.isDirectory(path) ? Location.of(path) : Location.of(new JarFile(path.toFile())));
			}
			catch (URISyntaxException | IOException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

}
