package io.flowhost.architecture;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;
import static com.tngtech.archunit.library.dependencies.SlicesRuleDefinition.slices;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The structure the modules' READMEs promise, checked on the compiled code: no package depends on itself in a
 * circle, and each layer uses only what it may.
 */
class LayersTest {

    private static JavaClasses flowhost;

    @BeforeAll
    static void importClasses() {
        flowhost = new ClassFileImporter()
                .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
                .withImportOption(location -> !location.contains("/io/flowhost/examples/"))
                .importPackages("io.flowhost");
    }

    @Test
    void noPackageIsPartOfACycle() {
        slices().matching("io.flowhost.(**)").should().beFreeOfCycles().check(flowhost);
    }

    @Test
    void theSdkDependsOnNothing() {
        noClasses()
                .that()
                .resideInAPackage("io.flowhost.sdk..")
                .should()
                .dependOnClassesThat()
                .resideOutsideOfPackages("io.flowhost.sdk..", "java..")
                .check(flowhost);
    }

    @Test
    void theClientNeedsOnlyTheJdkAndJackson() {
        noClasses()
                .that()
                .resideInAPackage("io.flowhost.client..")
                .should()
                .dependOnClassesThat()
                .resideOutsideOfPackages("io.flowhost.client..", "java..", "com.fasterxml.jackson..")
                .check(flowhost);
    }

    @Test
    void theDomainDoesNoIoAndKnowsNoFramework() {
        noClasses()
                .that()
                .resideInAPackage("io.flowhost.domain..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.netty..", "java.sql..", "java.net.http..", "com.fasterxml.jackson..", "io.opentelemetry..")
                .orShould()
                .dependOnClassesThat()
                .haveFullyQualifiedName("java.nio.file.Files") // a Path is a name; reading files is I/O
                .orShould()
                .dependOnClassesThat()
                .resideOutsideOfPackages("io.flowhost.domain..", "java..")
                .check(flowhost);
    }

    @Test
    void theWireKnowsOnlyTheDomainAndTheSdkOfFlowhost() {
        noClasses()
                .that()
                .resideInAPackage("io.flowhost.wire..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(flowhostBut("wire", "domain", "sdk"))
                .check(flowhost);
    }

    @Test
    void theGatewayNeverImportsTheManagementApiOrTheControlPlane() {
        noClasses()
                .that()
                .resideInAPackage("io.flowhost.gateway..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(flowhostBut("gateway", "domain", "wire"))
                .check(flowhost);
    }

    @Test
    void theControlPlaneNeverImportsTheDataPlane() {
        noClasses()
                .that()
                .resideInAPackage("io.flowhost.control..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(flowhostBut("control", "domain", "state", "instances", "metaflow"))
                .check(flowhost);
    }

    @Test
    void theStateStoreKnowsOnlyTheDomain() {
        noClasses()
                .that()
                .resideInAPackage("io.flowhost.state..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(flowhostBut("state", "domain"))
                .check(flowhost);
    }

    @Test
    void theInstanceDriverKnowsTheRuntimeOnlyToLaunchIt() {
        noClasses()
                .that()
                .resideInAPackage("io.flowhost.instances..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(flowhostBut("instances", "domain", "runtime", "metaflow"))
                .check(flowhost);
    }

    @Test
    void theKubernetesDriverIsAnInstanceDriverAndAloneSpeaksKubernetes() {
        noClasses()
                .that()
                .resideInAPackage("io.flowhost.kubernetes..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(flowhostBut("kubernetes", "instances", "domain"))
                .check(flowhost);
        noClasses()
                .that()
                .resideOutsideOfPackage("io.flowhost.kubernetes..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.fabric8..")
                .check(flowhost);
    }

    @Test
    void theAsyncQueueAndAlertsStayOutOfTheServerAndTheControlPlane() {
        noClasses()
                .that()
                .resideInAPackage("io.flowhost.async..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(flowhostBut("async", "domain", "wire", "gateway", "state"))
                .check(flowhost);
        noClasses()
                .that()
                .resideInAPackage("io.flowhost.alerts..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(flowhostBut("alerts", "domain", "state"))
                .check(flowhost);
    }

    @Test
    void tablesKnowTheStateAndMetaflowButNotTheServerAroundThem() {
        noClasses()
                .that()
                .resideInAPackage("io.flowhost.tables..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(flowhostBut("tables", "domain", "state", "metaflow"))
                .check(flowhost);
        noClasses()
                .that()
                .resideOutsideOfPackage("io.flowhost.tables.internal..")
                .and()
                .resideOutsideOfPackage("io.flowhost.tables")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.flowhost.tables.internal..", "org.rocksdb..")
                .check(flowhost);
    }

    @Test
    void anInstanceKnowsNothingOfThePlatformAroundIt() {
        noClasses()
                .that()
                .resideInAnyPackage("io.flowhost.runtime..", "io.flowhost.metaflow..", "io.flowhost.onnx..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage(
                        "io.flowhost.server..",
                        "io.flowhost.gateway..",
                        "io.flowhost.control..",
                        "io.flowhost.state..",
                        "io.flowhost.instances..",
                        "io.flowhost.async..",
                        "io.flowhost.alerts..",
                        "io.flowhost.tables..",
                        "io.flowhost.cli..")
                .check(flowhost);
    }

    @Test
    void onlyTheCommandLineUsesTheCommandLine() {
        noClasses()
                .that()
                .resideOutsideOfPackage("io.flowhost.cli..")
                .should()
                .dependOnClassesThat()
                .resideInAnyPackage("io.flowhost.cli..", "picocli..")
                .check(flowhost);
    }

    /** Every flowhost module's packages except these. */
    private static String[] flowhostBut(String... allowed) {
        var all = new String[] {
            "sdk",
            "client",
            "domain",
            "metaflow",
            "onnx",
            "wire",
            "runtime",
            "state",
            "instances",
            "kubernetes",
            "gateway",
            "control",
            "async",
            "alerts",
            "tables",
            "server",
            "cli"
        };
        return Arrays.stream(all)
                .filter(m -> !List.of(allowed).contains(m))
                .map(m -> "io.flowhost." + m + "..")
                .toArray(String[]::new);
    }
}
