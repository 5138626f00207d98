package dev.nabla;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.tngtech.archunit.core.domain.JavaClass;
import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.domain.JavaModifier;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import dev.nabla.autograd.Function;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The architecture of nabla-core as tests: the one-way order of its packages, no boxing in
 * the kernels, and the derivative table of {@code ops/package-info.java} naming every op.
 */
class ArchitectureTest {
    /**
     * The packages of {@code dev.nabla}, lowest first: each may use the packages to its left, never one to its
     * right. Two are stricter: {@code tensor} uses no other package, and {@code kernel} uses none either (its
     * loops work on {@code float[]}, not on tensors). A package that does not exist yet passes trivially.
     */
    static final List<String> ORDER = List.of(
            "tensor", "kernel", "autograd", "ops", "nn", "loss", "optim", "data", "train", "diagnostics", "io");

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_JARS)
            .importPackages("dev.nabla");

    static Stream<String> packages() {
        return ORDER.stream();
    }

    private static String pkg(String name) {
        return "dev.nabla." + name + "..";
    }

    @Test
    void mainClassesWereFound() {
        // guards the rules below against passing because nothing was imported
        assertTrue(MAIN.contain("dev.nabla.tensor.Tensor"), "no main classes imported");
        assertTrue(MAIN.contain("dev.nabla.ops.Functional"), "no main classes imported");
    }

    @ParameterizedTest(name = "{0} uses only packages to its left")
    @MethodSource("packages")
    void packagesDependOneWay(String name) {
        int at = ORDER.indexOf(name);
        List<String> forbidden = new ArrayList<>();
        if (name.equals("tensor") || name.equals("kernel")) {
            for (String other : ORDER) {
                if (!other.equals(name)) {
                    forbidden.add(pkg(other));
                }
            }
        } else {
            for (String right : ORDER.subList(at + 1, ORDER.size())) {
                forbidden.add(pkg(right));
            }
        }
        if (forbidden.isEmpty()) {
            return;   // the last package may use every other one
        }
        noClasses().that().resideInAPackage(pkg(name))
                .should().dependOnClassesThat().resideInAnyPackage(forbidden.toArray(String[]::new))
                .because("packages of dev.nabla depend one way, in the order " + ORDER
                        + " (tensor and kernel on no other package)")
                .allowEmptyShould(true)
                .check(MAIN);
    }

    @Test
    void everyPackageHasAPlaceInTheOrder() {
        List<String> known = new ArrayList<>(ORDER.stream().map(ArchitectureTest::pkg).toList());
        known.add("dev.nabla");   // the root itself, for facts about the build (Nabla.version())
        classes().that().resideInAPackage("dev.nabla..")
                .should().resideInAnyPackage(known.toArray(String[]::new))
                .because("a new package must be placed in ArchitectureTest.ORDER, which says what it may use")
                .check(MAIN);
    }

    @Test
    void theRootPackageUsesNoOther() {
        noClasses().that().resideInAPackage("dev.nabla")
                .should().dependOnClassesThat().resideInAnyPackage(ORDER.stream().map(ArchitectureTest::pkg)
                        .toArray(String[]::new))
                .because("dev.nabla holds facts about the build, which every package may read")
                .check(MAIN);
    }

    /**
     * The kernels' types ({@code Gemm.Epilogue}, the loops over {@code float[]}) stay behind the ops: layers, losses,
     * the trainer and the diagnostics speak of tensors and of the ops' own types, so a kernel can change its shape
     * without touching them.
     */
    @ParameterizedTest(name = "{0} uses no kernel type")
    @ValueSource(strings = {"nn", "loss", "train", "diagnostics"})
    void kernelTypesStayBehindTheOps(String name) {
        noClasses().that().resideInAPackage(pkg(name))
                .should().dependOnClassesThat().resideInAPackage(pkg("kernel"))
                .because("kernels are reached through ops (Functional, Checks)")
                .allowEmptyShould(true)
                .check(MAIN);
    }

    @Test
    void kernelsDoNotBoxNumbers() {
        noClasses().that().resideInAPackage(pkg("kernel"))
                .should().callMethod(Float.class, "valueOf", float.class)
                .orShould().callMethod(Double.class, "valueOf", double.class)
                .orShould().callMethod(Integer.class, "valueOf", int.class)
                .orShould().callMethod(Long.class, "valueOf", long.class)
                .because("boxing in a hot loop allocates per element")
                .check(MAIN);
    }

    @Test
    void theDerivativeTableNamesEveryOp() throws IOException {
        Set<String> table = derivativeTable();
        Set<String> ops = new TreeSet<>();
        for (JavaClass c : MAIN) {
            if (c.getPackageName().equals("dev.nabla.ops") && c.isAssignableTo(Function.class)
                    && !c.isAnonymousClass() && !c.getSimpleName().isEmpty()
                    && !c.getModifiers().contains(JavaModifier.ABSTRACT)) {   // a shared base is not an op
                ops.add(c.getSimpleName());
            }
        }
        assertFalse(ops.isEmpty(), "no Function subclasses found in dev.nabla.ops");
        Set<String> missing = new TreeSet<>(ops);
        missing.removeAll(table);
        assertEquals(Set.of(), missing, "ops missing from the derivative table in ops/package-info.java");
        Set<String> stale = new TreeSet<>(table);
        stale.removeAll(ops);
        assertEquals(Set.of(), stale, "rows of the derivative table in ops/package-info.java that name no op class");
    }

    /**
     * The first column of the table inside {@code <pre>} in ops/package-info.java (below the header rule); rows
     * with an empty first column continue the row above.
     */
    static Set<String> derivativeTable() throws IOException {
        Path file = Path.of(System.getProperty("basedir", "."), "src/main/java/dev/nabla/ops/package-info.java");
        String source = Files.readString(file, StandardCharsets.UTF_8);
        Matcher pre = Pattern.compile("<pre>(.*?)</pre>", Pattern.DOTALL).matcher(source);
        assertTrue(pre.find(), file + " has no <pre> derivative table");
        Set<String> names = new LinkedHashSet<>();
        boolean body = false;
        for (String line : pre.group(1).split("\n")) {
            String row = line.replaceFirst("^\\s*\\*", "").trim();
            if (row.startsWith("---")) {
                body = true;
            } else if (body && row.contains("|")) {
                String name = row.substring(0, row.indexOf('|')).trim().split("\\s+")[0];
                if (!name.isEmpty()) {   // an empty first column continues the row above
                    names.add(name);
                }
            }
        }
        assertFalse(names.isEmpty(), file + ": the derivative table has no rows");
        return names;
    }
}
