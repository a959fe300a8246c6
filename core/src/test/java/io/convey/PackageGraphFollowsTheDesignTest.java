package io.convey;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The package graph of the main code follows the design: the leaf packages do not know each other or the
 * packages that wire them, and each library with a narrow purpose is used by one package only.
 */
class PackageGraphFollowsTheDesignTest {

    private static final JavaClasses MAIN = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("io.convey");

    /**
     * Each leaf and the leaves it may use: config and packet parse and print addresses with net. A new
     * package that leaves share (limits, say) is not a leaf here until it is added to this map.
     */
    private static final Map<String, Set<String>> LEAVES = Map.ofEntries(
            Map.entry("config", Set.of("net")),
            Map.entry("balance", Set.of()),
            Map.entry("health", Set.of()),
            Map.entry("stats", Set.of()),
            Map.entry("proxy", Set.of("traffic")),
            Map.entry("packet", Set.of("net", "traffic")),
            Map.entry("traffic", Set.of("net")),
            Map.entry("accesslog", Set.of("traffic", "net")),
            Map.entry("limits", Set.of()),
            Map.entry("net", Set.of()),
            Map.entry("cluster", Set.of()));

    /** The packages that wire the leaves together; no leaf reaches back into them. */
    private static final List<String> WIRING = List.of("io.convey", "io.convey.engine..", "io.convey.admin..",
            "io.convey.cli..", "io.convey.metrics..", "io.convey.notify..");

    static Set<String> leaves() {
        return LEAVES.keySet();
    }

    @ParameterizedTest
    @MethodSource("leaves")
    void aLeafImportsNeitherTheOtherLeavesNorTheWiring(String leaf) {
        List<String> forbidden = new ArrayList<>(WIRING);
        LEAVES.keySet().stream()
                .filter(other -> !other.equals(leaf) && !LEAVES.get(leaf).contains(other))
                .forEach(other -> forbidden.add("io.convey." + other + ".."));

        noClasses().that().resideInAPackage("io.convey." + leaf + "..")
                .should().dependOnClassesThat().resideInAnyPackage(forbidden.toArray(String[]::new))
                .because("the engine wires the leaves; the data planes (proxy, packet) only read its snapshots")
                .check(MAIN);
    }

    @Test
    void balanceIsPure() {
        classes().that().resideInAPackage("io.convey.balance..")
                .should().onlyDependOnClassesThat().resideInAnyPackage("io.convey.balance..", "java..")
                .because("selection strategies are pure functions over an immutable server list")
                .check(MAIN);
    }

    @Test
    void onlyAdminImportsJavalin() {
        onlyThisPackageUses("io.convey.admin..", "io.javalin..");
    }

    @Test
    void onlyMetricsImportsThePrometheusClient() {
        onlyThisPackageUses("io.convey.metrics..", "io.prometheus..");
    }

    @Test
    void onlyPacketImportsPcap4j() {
        onlyThisPackageUses("io.convey.packet..", "org.pcap4j..");
    }

    @Test
    void onlyConfigImportsTomlj() {
        onlyThisPackageUses("io.convey.config..", "org.tomlj..");
    }

    @Test
    void packagesHaveNoCycles() {
        slices().matching("io.convey.(*)..").should().beFreeOfCycles().check(MAIN);
    }

    private static void onlyThisPackageUses(String owner, String library) {
        noClasses().that(not(resideInAPackage(owner)))
                .should().dependOnClassesThat(resideInAnyPackage(library))
                .because(library + " stays behind " + owner)
                .check(MAIN);
    }
}
