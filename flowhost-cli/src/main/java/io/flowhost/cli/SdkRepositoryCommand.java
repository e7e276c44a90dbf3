package io.flowhost.cli;

import io.flowhost.cli.release.BuildInfo;
import io.flowhost.cli.release.MavenRepository;
import io.flowhost.cli.release.PublishedJar;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

/** {@code flowhost sdk-repository DIR}: the SDK as a Maven repository folder, for a team to host. */
@Command(
        name = "sdk-repository",
        mixinStandardHelpOptions = true,
        description = {
            "Write the SDK, the client, the Metaflow reader and flowhost-onnx into a folder in Maven's layout,",
            "for a team to host (file: or over HTTP) so that service builds find them; flowhost new installs",
            "them into your own Maven repository by itself."
        })
final class SdkRepositoryCommand implements Runnable {

    @Parameters(paramLabel = "DIR", description = "The repository folder; made if missing.")
    Path dir;

    @Override
    public void run() {
        var build = BuildInfo.current();
        var repository = new MavenRepository(dir.toAbsolutePath());
        for (var jar : List.of(
                PublishedJar.sdk(build),
                PublishedJar.client(build),
                PublishedJar.metaflowReader(build),
                PublishedJar.onnx(build))) {
            try {
                repository.install(jar);
            } catch (UncheckedIOException e) {
                throw new CliException(e.getMessage());
            }
            System.out.println(
                    "wrote " + PublishedJar.GROUP_ID + ":" + jar.artifactId() + ":" + jar.version() + " into " + dir);
        }
        System.out.println(
                "A build finds them with <repository><url>" + repository.root().toUri()
                        + "</url><snapshots><enabled>true</enabled></snapshots></repository> in its pom or settings.");
    }
}
