package io.flowhost.cli.scaffold;

import io.flowhost.cli.release.BuildInfo;
import io.flowhost.metaflow.Run;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/** Makes the files of a new service project: a plain one, or one holding the artifacts of a Metaflow run. */
public final class Scaffold {

    private static final String[] WRAPPER = {"mvnw", "mvnw.cmd", ".mvn/wrapper/maven-wrapper.properties"};

    private Scaffold() {}

    /** A service with one endpoint that greets, its test, and the build around them. */
    public static ServiceProject plain(ProjectSpec spec, BuildInfo build) {
        var values = values(spec, build, "", "", "");
        var files = common(spec, values);
        files.put(main(spec), text(Template.fill("PlainService.java.tmpl", values)));
        files.put(test(spec), text(Template.fill("PlainServiceTest.java.tmpl", values)));
        return new ServiceProject(
                files, Set.of(), spec.className() + " with an endpoint, predict, that greets whoever it is given");
    }

    /**
     * A service whose constructor loads each artifact of the run's end step, with an endpoint using them; {@code
     * datastoreOptions} tell {@code flowhost serve} where the datastore is ({@code --metaflow-root /data/metaflow}).
     */
    public static ServiceProject fromRun(ProjectSpec spec, BuildInfo build, Run run, String datastoreOptions) {
        var artifacts = RunArtifacts.read(run);
        var source = new RunServiceSource(spec, artifacts);
        var dependencies = new StringBuilder();
        for (var artifactId : artifacts.published()) {
            dependencies.append("""
                        <!-- provided too: %s's types, which a field holds; the instance has them. -->
                        <dependency>
                          <groupId>io.flowhost</groupId>
                          <artifactId>%s</artifactId>
                          <version>${flowhost.version}</version>
                          <scope>provided</scope>
                        </dependency>
                    """.formatted(artifactId, artifactId));
        }
        var origin = " serving the artifacts of " + artifacts.flow() + "'s " + artifacts.step()
                + " step (its latest successful run; run " + artifacts.runId() + " when it was made)";
        var files = common(spec, values(spec, build, dependencies.toString(), origin, " " + datastoreOptions));
        files.put(main(spec), text(source.service()));
        files.put(test(spec), text(source.test()));
        source.testResources().forEach((path, bytes) -> files.put("src/test/resources/" + path, bytes));
        var summary = spec.className() + " loading " + artifacts.fields().size() + " artifacts of "
                + run.pathspec() + " (" + artifacts.step() + ") into fields"
                + (artifacts.leftOut().isEmpty()
                        ? ""
                        : "; left out, as its Javadoc says why: "
                                + String.join(
                                        ", ",
                                        artifacts.leftOut().stream()
                                                .map(LeftOut::artifact)
                                                .toList()));
        return new ServiceProject(files, artifacts.published(), summary);
    }

    private static Map<String, String> values(
            ProjectSpec spec, BuildInfo build, String dependencies, String origin, String serveOptions) {
        return Map.of(
                "serveOptions", serveOptions,
                "name", spec.name(),
                "packageName", spec.packageName(),
                "packagePath", spec.packagePath(),
                "className", spec.className(),
                "flowhostVersion", build.version(),
                "junitVersion", build.junitVersion(),
                "extraDependencies", dependencies,
                "origin", origin);
    }

    private static Map<String, byte[]> common(ProjectSpec spec, Map<String, String> values) {
        var files = new LinkedHashMap<String, byte[]>();
        files.put("pom.xml", text(Template.fill("pom.xml.tmpl", values)));
        files.put("README.md", text(Template.fill("README.md.tmpl", values)));
        files.put(".gitignore", text(Template.fill("gitignore.tmpl", values)));
        for (var file : WRAPPER) {
            files.put(file, Template.bytes("wrapper/" + file));
        }
        files.put(
                "src/test/java/" + spec.packagePath() + "/TestContext.java",
                text(Template.fill("TestContext.java.tmpl", values)));
        return files;
    }

    private static String main(ProjectSpec spec) {
        return "src/main/java/" + spec.packagePath() + "/" + spec.className() + ".java";
    }

    private static String test(ProjectSpec spec) {
        return "src/test/java/" + spec.packagePath() + "/" + spec.className() + "Test.java";
    }

    private static byte[] text(String text) {
        return text.getBytes(StandardCharsets.UTF_8);
    }
}
