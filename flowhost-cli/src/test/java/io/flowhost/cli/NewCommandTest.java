package io.flowhost.cli;

import static io.flowhost.cli.CommandsTest.run;
import static org.assertj.core.api.Assertions.assertThat;

import io.flowhost.cli.release.BuildInfo;
import io.flowhost.metaflow.MotoS3;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code flowhost new}: what it writes and installs, what it prints, and the errors that say what to do. */
class NewCommandTest {

    static final String ROOT = MetaflowCommandTest.ROOT;

    @TempDir
    Path tmp;

    @Test
    void makesAProjectInstallsTheSdkOnceAndPrintsTheNextCommands() throws Exception {
        var repo = tmp.resolve("m2");
        var version = BuildInfo.current().version();
        var sdk = repo.resolve("io/flowhost/flowhost-sdk/" + version + "/flowhost-sdk-" + version + ".jar");

        var first = run("new", "fraud-score", "--dir", tmp.resolve("a").toString(), "--maven-repo", repo.toString());
        var second = run("new", "fraud-score", "--dir", tmp.resolve("b").toString(), "--maven-repo", repo.toString());

        assertThat(first.exitCode()).as(first.err()).isZero();
        assertThat(first.out())
                .contains("installed io.flowhost:flowhost-sdk:" + version + " into " + repo)
                .contains("installed io.flowhost:flowhost-client:" + version + " into " + repo)
                .contains("./mvnw package")
                .contains("flowhost serve target/fraud-score.jar");
        assertThat(sdk).exists();
        assertThat(Path.of(sdk.toString().replace(".jar", ".pom"))).content().doesNotContain("<parent>");
        assertThat(tmp.resolve("a/src/main/java/com/example/fraudscore/FraudScoreService.java"))
                .exists();
        assertThat(second.out()).contains("io.flowhost:flowhost-sdk:" + version + " is in " + repo + " already");
    }

    @Test
    void aMetaflowProjectIsServedWithItsDatastore() {
        var made = run(
                "new",
                "iris-model",
                "--flow",
                "IrisFlow",
                "--root",
                ROOT,
                "--dir",
                tmp.resolve("iris").toString(),
                "--maven-repo",
                tmp.resolve("m2").toString());

        assertThat(made.exitCode()).as(made.err()).isZero();
        assertThat(made.out())
                .contains("Reading the artifacts of IrisFlow/1795691852170532 (end step)")
                .contains("left out, as its Javadoc says why: sk_model")
                .contains("flowhost serve target/iris-model.jar --metaflow-root " + ROOT);
    }

    @Test
    void aFlowInAnS3DatastoreIsScaffoldedAndTheServeLineNamesWhereItIs() throws Exception {
        var dump = Path.of("..", "flowhost-metaflow", "src", "test", "data", "metaflow-iris-s3-dump")
                .toAbsolutePath()
                .normalize();
        try (var moto = MotoS3.start()) {
            moto.load(dump);
            var metadata = dump.resolve("local-metadata").toString();

            var made = run(
                    "new",
                    "iris-s3",
                    "--flow",
                    "IrisFlow",
                    "--root",
                    "s3://mf-fixture/some/prefix",
                    "--s3-endpoint",
                    moto.endpoint().toString(),
                    "--metadata-root",
                    metadata,
                    "--dir",
                    tmp.resolve("iris-s3").toString(),
                    "--maven-repo",
                    tmp.resolve("m2").toString());

            assertThat(made.exitCode()).as(made.err()).isZero();
            var serve = "flowhost serve target/iris-s3.jar --metaflow-root s3://mf-fixture/some/prefix --s3-endpoint "
                    + moto.endpoint() + " --metadata-root " + metadata;
            assertThat(made.out())
                    .contains("Reading the artifacts of IrisFlow/1795691871664358 (end step)")
                    .contains(serve);
            assertThat(tmp.resolve("iris-s3/README.md")).content().contains(serve.substring("flowhost".length()));
        }
    }

    @Test
    void anUnknownFlowListsTheFlowsThereAre() {
        var made = run(
                "new",
                "x",
                "--flow",
                "IrisFlw",
                "--root",
                ROOT,
                "--dir",
                tmp.resolve("x").toString());

        assertThat(made.exitCode()).isEqualTo(1);
        assertThat(made.err()).contains("no flow IrisFlw in").contains("its flows are [IrisFlow]");
        assertThat(tmp.resolve("x")).doesNotExist();
    }

    @Test
    void aFlowWithNoSuccessfulRunSaysSoAndListsItsRuns() {
        var made = run(
                "new",
                "x",
                "--flow",
                "IrisFlow",
                "--tag",
                "iris-broken",
                "--root",
                ROOT,
                "--dir",
                tmp.resolve("x").toString());

        assertThat(made.exitCode()).isEqualTo(1);
        assertThat(made.err())
                .contains("flow IrisFlow has no successful run tagged iris-broken (runs: [1795691857254202])")
                .contains("flowhost metaflow runs IrisFlow");
    }

    @Test
    void badNamesPackagesAndFoldersSayWhatToDo() throws Exception {
        Files.createDirectories(tmp.resolve("taken"));
        Files.writeString(tmp.resolve("taken/pom.xml"), "<project/>");

        var name = run("new", "Fraud_Score", "--dir", tmp.resolve("n").toString());
        var pkg = run(
                "new",
                "fraud",
                "--package",
                "com.Acme",
                "--dir",
                tmp.resolve("p").toString());
        var taken = run("new", "fraud", "--dir", tmp.resolve("taken").toString());
        var rootAlone =
                run("new", "fraud", "--root", ROOT, "--dir", tmp.resolve("r").toString());

        assertThat(name.exitCode()).isEqualTo(2);
        assertThat(name.err()).contains("'Fraud_Score' cannot name a service").contains("e.g. fraud-score");
        assertThat(pkg.exitCode()).isEqualTo(2);
        assertThat(pkg.err()).contains("'com.Acme' is not a Java package name: give --package");
        assertThat(taken.exitCode()).isEqualTo(2);
        assertThat(taken.err()).contains("exists and is not empty");
        assertThat(Files.readString(tmp.resolve("taken/pom.xml"))).isEqualTo("<project/>");
        assertThat(rootAlone.exitCode()).isEqualTo(2);
        assertThat(rootAlone.err()).contains("--root and --tag go with --flow");
    }

    @Test
    void helpShowsTheOptionsAndAnExample() {
        var help = run("new", "--help");

        assertThat(help.out())
                .contains("--package=PACKAGE")
                .contains("--flow=FLOW")
                .contains("flowhost new iris-model --flow IrisFlow --root examples/iris/metaflow")
                .contains("./mvnw package && flowhost serve target/NAME.jar");
    }

    @Test
    void theVersionNamesTheCommit() {
        var version = run("--version");

        assertThat(version.out())
                .startsWith("flowhost " + BuildInfo.current().version() + " (commit ")
                .doesNotContain("${");
    }
}
