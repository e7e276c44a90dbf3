package io.flowhost.cli;

import io.flowhost.cli.release.BuildInfo;
import io.flowhost.cli.release.MavenRepository;
import io.flowhost.cli.release.PublishedJar;
import io.flowhost.cli.scaffold.ProjectSpec;
import io.flowhost.cli.scaffold.Scaffold;
import io.flowhost.cli.scaffold.ScaffoldException;
import io.flowhost.cli.scaffold.ServiceProject;
import io.flowhost.metaflow.Datastore;
import io.flowhost.metaflow.Run;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.Set;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code flowhost new NAME}: a service project, ready to build and serve, plain or around a Metaflow run. */
@Command(
        name = "new",
        mixinStandardHelpOptions = true,
        description = {
            "Make a service project, ready to build and serve.",
            "",
            "Writes a @Service with an endpoint and its example, a test that calls it,",
            "a README and a Maven build with its wrapper into a new folder, and installs",
            "the SDK into your local Maven repository if it is not there.",
            "With --flow, the service loads each artifact of the flow's latest successful",
            "run (its end step) into a typed field; its endpoint and example come from",
            "their shapes."
        },
        footer = {
            "",
            "Examples:",
            "  flowhost new fraud-score --package com.acme.fraud",
            "  flowhost new iris-model --flow IrisFlow --root examples/iris/metaflow",
            "Then, in the new folder:  ./mvnw package && flowhost serve target/NAME.jar"
        })
final class NewCommand implements Runnable {

    @Parameters(
            paramLabel = "NAME",
            description = "The service's name: lowercase letters, digits and dashes, e.g. fraud-score; it names the"
                    + " folder, the jar (target/NAME.jar) and the URLs (/v1/services/NAME/...).")
    String name;

    @Option(
            names = "--package",
            paramLabel = "PACKAGE",
            description = "The Java package of the service (default: com.example.NAME without its dashes).")
    String packageName;

    @Option(
            names = "--dir",
            paramLabel = "DIR",
            description = "Where to make the project (default: ./NAME); it must not exist, or be empty.")
    Path dir;

    @Option(
            names = "--flow",
            paramLabel = "FLOW",
            description = "A Metaflow flow, e.g. IrisFlow: the service loads the artifacts of its latest successful"
                    + " run's end step (the datastore from --root).")
    String flow;

    @Option(
            names = "--tag",
            paramLabel = "TAG",
            description = "With --flow: the latest successful run carrying this tag.")
    String tag;

    @Mixin
    MetaflowOptions metaflow;

    @Option(
            names = "--maven-repo",
            paramLabel = "DIR",
            description = "The Maven repository to install the SDK into when it is missing (default: as Maven finds"
                    + " your local one: -Dmaven.repo.local, settings.xml's localRepository, else ~/.m2/repository).")
    Path mavenRepo;

    @Override
    public void run() {
        var spec = scaffolding(() -> ProjectSpec.of(name, packageName));
        var target = dir != null ? dir : Path.of(name);
        scaffolding(() -> {
            ServiceProject.requireFree(target);
            return target;
        });
        if (flow == null && (metaflow.root != null || tag != null)) {
            throw new CliException("--root and --tag go with --flow: name the flow whose run the service holds", 2);
        }
        var build = BuildInfo.current();
        var project = flow == null ? Scaffold.plain(spec, build) : fromFlow(spec, build);
        System.out.println("Writing " + spec.name() + " into " + target + " ...");
        scaffolding(() -> {
            project.writeTo(target);
            return target;
        });
        System.out.println("  " + project.summary());
        installSdk(build, project.published());
        System.out.println();
        System.out.println("Done. Build it and serve it:");
        System.out.println("  cd " + target);
        System.out.println("  ./mvnw package");
        System.out.println(
                "  flowhost serve target/" + spec.name() + ".jar" + (flow == null ? "" : " " + datastoreOptions()));
    }

    private ServiceProject fromFlow(ProjectSpec spec, BuildInfo build) {
        var options = metaflow.required();
        try (var datastore = MetaflowCommand.reading(() -> Datastore.open(options))) {
            var flows = MetaflowCommand.reading(datastore::flows);
            if (!flows.contains(flow)) {
                throw new CliException("no flow " + flow + " in " + datastore.describe()
                        + (flows.isEmpty()
                                ? ": it holds no flows; is --root the folder that holds .metaflow?"
                                : "; its flows are " + flows));
            }
            var runs = MetaflowCommand.reading(() -> datastore.flow(flow).runs(tag));
            Run run = MetaflowCommand.reading(() -> datastore.flow(flow).latestSuccessfulRun(tag))
                    .orElseThrow(() -> new CliException("flow " + flow + " has no successful run"
                            + (tag == null ? "" : " tagged " + tag) + " (runs: "
                            + runs.stream().map(Run::id).toList() + "): run it to its end step first; "
                            + "'flowhost metaflow runs " + flow + " --root ...' lists them"));
            System.out.println("Reading the artifacts of " + run.pathspec() + " (" + run.endStepName() + " step) ...");
            return MetaflowCommand.reading(() -> Scaffold.fromRun(spec, build, run, datastoreOptions()));
        }
    }

    /**
     * How {@code flowhost serve} is told where the datastore is, as the new folder's README and the last line print it:
     * its root, a local one by its absolute path, and the S3 endpoint and metadata folder it was read with, if any.
     */
    private String datastoreOptions() {
        var options = new StringBuilder("--metaflow-root ").append(shownRoot());
        if (metaflow.s3Endpoint != null) {
            options.append(" --s3-endpoint ").append(metaflow.s3Endpoint);
        }
        if (metaflow.metadataRoot != null) {
            options.append(" --metadata-root ")
                    .append(metaflow.metadataRoot.toAbsolutePath().normalize());
        }
        return options.toString();
    }

    /** The datastore's root: a local one by its absolute path. */
    private String shownRoot() {
        var root = metaflow.required().root();
        return root.contains("://")
                ? root
                : Path.of(root).toAbsolutePath().normalize().toString();
    }

    private void installSdk(BuildInfo build, Set<String> published) {
        var repository = mavenRepo != null
                ? new MavenRepository(mavenRepo.toAbsolutePath())
                : MavenRepository.local(systemProperties());
        var jars = new ArrayList<PublishedJar>();
        jars.add(PublishedJar.sdk(build));
        jars.add(PublishedJar.client(build));
        published.forEach(artifactId -> jars.add(PublishedJar.byArtifactId(artifactId, build)));
        for (var jar : jars) {
            var coordinates = PublishedJar.GROUP_ID + ":" + jar.artifactId() + ":" + jar.version();
            if (repository.has(jar)) {
                System.out.println("  " + coordinates + " is in " + repository.root() + " already");
            } else {
                try {
                    repository.install(jar);
                } catch (UncheckedIOException e) {
                    throw new CliException("cannot install " + coordinates + " for the build: " + e.getMessage()
                            + "; give --maven-repo with a folder you may write");
                }
                System.out.println("  installed " + coordinates + " into " + repository.root());
            }
        }
    }

    private static HashMap<String, String> systemProperties() {
        var properties = new HashMap<String, String>();
        System.getProperties().forEach((k, v) -> properties.put(String.valueOf(k), String.valueOf(v)));
        return properties;
    }

    private static <T> T scaffolding(Supplier<T> step) {
        try {
            return step.get();
        } catch (ScaffoldException e) {
            throw new CliException(e.getMessage(), 2);
        } catch (UncheckedIOException e) {
            throw new CliException(e.getMessage());
        }
    }
}
