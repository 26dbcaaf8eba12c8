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

import io.heare.stats.test.autoconfigure.AutoConfigureHeareStats;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

/**
 * Architecture rules for the test auto-configuration module: no package cycles, and no
 * class in the core's packages.
 */
@AnalyzeClasses(locations = ArchitectureTests.ThisModule.class)
class ArchitectureTests {

	@ArchTest
	static final ArchRule hasNoPackageCycles = slices().matching("io.heare.stats.(**)").should().beFreeOfCycles();

	@ArchTest
	static final ArchRule sharesNoPackageWithTheCore = noClasses().should()
		.resideInAnyPackage("io.heare.stats.client", "io.heare.stats.annotation")
		.because("the core's implementation is package-private in its own package; a class of another module "
				+ "there would reach it on the class path and split the core's module");

	/**
	 * This module's own classes only, wherever they are loaded from (its build's classes
	 * directory, or its jar when another build reruns these tests), without the other
	 * modules' classes that share its packages.
	 */
	static final class ThisModule implements LocationProvider {

		@Override
		public Set<Location> get(Class<?> testClass) {
			try {
				Path path = Path
					.of(AutoConfigureHeareStats.class.getProtectionDomain().getCodeSource().getLocation().toURI());
				return Set.of(Files.isDirectory(path) ? Location.of(path) : Location.of(new JarFile(path.toFile())));
			}
			catch (URISyntaxException | IOException ex) {
				throw new IllegalStateException(ex);
			}
		}

	}

}
