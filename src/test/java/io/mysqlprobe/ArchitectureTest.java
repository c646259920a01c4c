package io.mysqlprobe;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.type;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import io.mysqlprobe.pipeline.PipelineView;
import io.mysqlprobe.pipeline.ProbeSettings;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The house's walls as a test (STYLE.md, "Packages are the pipeline"): the slave pipeline's stages in order
 * capture → tcp → protocol → fingerprint → aggregate → report, each importing only stages before it (and config);
 * the stages that do the per-packet work stay plain Java; only capture touches libpcap; api and cluster see the
 * pipeline through {@link PipelineView}; the packages form no cycle.
 */
class ArchitectureTest {

    private static final String BASE = "io.mysqlprobe.";
    /** The slave pipeline's stages, in the order data flows. */
    private static final List<String> STAGES =
            List.of("capture", "tcp", "protocol", "fingerprint", "aggregate", "report");
    /** Packages built on the stages: no stage may import them. */
    private static final List<String> OUTER =
            List.of("pipeline", "watcher", "metrics", "cluster", "api", "monitor", "cli");

    private static JavaClasses main;

    @BeforeAll
    static void importMainClasses() {
        main = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .importPackages("io.mysqlprobe");
    }

    @Test
    void aStageImportsOnlyTheStagesBeforeIt() {
        for (int i = 0; i < STAGES.size(); i++) {
            List<String> forbidden = new ArrayList<>();
            STAGES.subList(i + 1, STAGES.size()).forEach(s -> forbidden.add(BASE + s + ".."));
            OUTER.forEach(s -> forbidden.add(BASE + s + ".."));
            noClasses()
                    .that()
                    .resideInAPackage(BASE + STAGES.get(i) + "..")
                    .should()
                    .dependOnClassesThat()
                    .resideInAnyPackage(forbidden.toArray(String[]::new))
                    .orShould()
                    .dependOnClassesThat()
                    .resideInAPackage("io.mysqlprobe")
                    .because("a stage imports only the stages before it (the root package is wiring)")
                    .check(main);
        }
    }

    @Test
    void theDecodingStagesArePlainJava() {
        noClasses()
                .that()
                .resideInAnyPackage(BASE + "tcp..", BASE + "protocol..", BASE + "fingerprint..", BASE + "aggregate..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.quarkus..", "io.vertx..", "io.smallrye..", "jakarta..", "org.pcap4j..", "com.sun.jna..")
                .because("tcp, protocol, fingerprint and aggregate are tested without CDI, Vert.x or libpcap")
                .check(main);
    }

    @Test
    void onlyCaptureTouchesLibpcap() {
        noClasses()
                .that()
                .resideOutsideOfPackage(BASE + "capture..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("org.pcap4j..", "com.sun.jna..")
                .check(main);
    }

    @Test
    void theWatcherAndTheExporterStayBesideThePipeline() {
        noClasses()
                .that()
                .resideInAnyPackage(BASE + "watcher..", BASE + "metrics..", BASE + "monitor..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(BASE + "pipeline..", BASE + "cluster..", BASE + "api..", BASE + "cli..")
                .check(main);
    }

    @Test
    void apiAndClusterReachThePipelineThroughItsView() {
        noClasses()
                .that()
                .resideInAnyPackage(BASE + "api..", BASE + "cluster..")
                .should()
                .dependOnClassesThat(resideInAPackage(BASE + "pipeline..")
                        .and(not(type(PipelineView.class)))
                        .and(not(type(ProbeSettings.class))))
                .orShould()
                .dependOnClassesThat()
                .resideInAPackage("io.mysqlprobe")
                .because("the pipeline's runtime is its own business: api and cluster read it through PipelineView "
                        + "and the settings in force; the root package is wiring")
                .check(main);
    }

    @Test
    void packagesFormNoCycle() {
        slices().matching("io.mysqlprobe.(*)..").should().beFreeOfCycles().check(main);
    }
}
