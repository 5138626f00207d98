package dev.nabla;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import org.junit.jupiter.api.Test;

/**
 * The architecture of nabla-cli as tests: the commands ({@code cli}) use the report and the benchmarks, never the
 * other way round, so the report stays a renderer of data that any front end can call, and the benchmarks a set of
 * workloads with no tie to the commands' wiring.
 */
class CliArchitectureTest {
    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("dev.nabla.cli", "dev.nabla.report");

    @Test
    void mainClassesWereFound() {
        assertTrue(MAIN.contain("dev.nabla.cli.Main") && MAIN.contain("dev.nabla.report.HtmlReport"),
                "no main classes imported");
    }

    @Test
    void theReportUsesNoCommand() {
        noClasses().that().resideInAPackage("dev.nabla.report..")
                .should().dependOnClassesThat().resideInAPackage("dev.nabla.cli..")
                .because("the report renders data; the commands call it, not the other way round")
                .check(MAIN);
    }

    @Test
    void theBenchmarksUseNoOtherCommand() {
        noClasses().that().resideInAPackage("dev.nabla.cli.bench..")
                .should().dependOnClassesThat().resideInAPackage("dev.nabla.cli")
                .because("Main wires the bench commands in; a bench command reaching back would make a cycle")
                .check(MAIN);
    }

    @Test
    void theSharedValueReadersUseNoCommand() {
        noClasses().that().resideInAPackage("dev.nabla.cli.values..")
                .should().dependOnClassesThat().resideInAnyPackage("dev.nabla.cli", "dev.nabla.cli.bench..",
                        "dev.nabla.report..")
                .because("the commands and the benchmarks both read their values through it")
                .check(MAIN);
    }
}
