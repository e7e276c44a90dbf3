package io.flowhost.cli.release;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the SDK is installed, as Maven would look for it, and what is written there. */
class MavenRepositoryTest {

    @TempDir
    Path home;

    @Test
    void mavenRepoLocalComesFirstThenSettingsThenTheDefault() throws Exception {
        var plain = MavenRepository.local(Map.of("user.home", home.toString()));
        Files.createDirectories(home.resolve(".m2"));
        Files.writeString(
                home.resolve(".m2/settings.xml"),
                "<settings><localRepository> ${user.home}/repo </localRepository></settings>");
        var fromSettings = MavenRepository.local(Map.of("user.home", home.toString()));
        var fromProperty =
                MavenRepository.local(Map.of("user.home", home.toString(), "maven.repo.local", home + "/other"));

        assertThat(plain.root()).isEqualTo(home.resolve(".m2/repository"));
        assertThat(fromSettings.root()).isEqualTo(home.resolve("repo"));
        assertThat(fromProperty.root()).isEqualTo(home.resolve("other"));
    }

    @Test
    void aSnapshotIsWrittenUnderItsPlainVersionWithChecksumsAndMetadata() throws Exception {
        var repository = new MavenRepository(home.resolve("repo"));
        var jar = new PublishedJar("flowhost-sdk", "1.2.0-SNAPSHOT", "the SDK", new byte[] {1, 2, 3}, List.of());

        assertThat(repository.has(jar)).isFalse();
        var path = repository.install(jar);

        var dir = home.resolve("repo/io/flowhost/flowhost-sdk/1.2.0-SNAPSHOT");
        assertThat(path)
                .isEqualTo(dir.resolve("flowhost-sdk-1.2.0-SNAPSHOT.jar"))
                .hasBinaryContent(new byte[] {1, 2, 3});
        assertThat(dir.resolve("flowhost-sdk-1.2.0-SNAPSHOT.jar.sha1"))
                .hasContent("7037807198c22a7d2b0807371d763779a84fdfcf");
        assertThat(dir.resolve("flowhost-sdk-1.2.0-SNAPSHOT.pom"))
                .content()
                .contains("<artifactId>flowhost-sdk</artifactId>")
                .contains("<version>1.2.0-SNAPSHOT</version>")
                .doesNotContain("<parent>")
                .doesNotContain("<dependencies>");
        assertThat(dir.resolve("maven-metadata.xml")).content().contains("<localCopy>true</localCopy>");
        assertThat(repository.has(jar)).isTrue();
    }

    @Test
    void theMetadataListsEveryVersionTheRepositoryHoldsNotTheLastInstalledAlone() throws Exception {
        var repository = new MavenRepository(home.resolve("repo"));
        for (var version : List.of("0.10.0", "0.2.0", "0.10.0-SNAPSHOT", "0.9.1")) {
            repository.install(new PublishedJar("flowhost-sdk", version, "the SDK", new byte[] {1}, List.of()));
        }

        var metadata = Files.readString(home.resolve("repo/io/flowhost/flowhost-sdk/maven-metadata.xml"));

        assertThat(Pattern.compile("<version>([^<]+)</version>")
                        .matcher(metadata)
                        .results()
                        .map(m -> m.group(1)))
                .containsExactly("0.2.0", "0.9.1", "0.10.0-SNAPSHOT", "0.10.0");
        assertThat(metadata).contains("<latest>0.10.0</latest>").contains("<release>0.10.0</release>");
    }

    @Test
    void theClientsPomNamesJacksonWhichItNeedsFromMavenCentral() {
        var build = BuildInfo.current();
        var client = PublishedJar.client(build);

        assertThat(client.jar()).isNotEmpty();
        assertThat(client.pom())
                .contains("<artifactId>flowhost-client</artifactId>")
                .contains("<artifactId>jackson-databind</artifactId>")
                .contains("<version>" + build.jacksonVersion() + "</version>")
                .doesNotContain("${");
        assertThat(PublishedJar.sdk(build).pom()).doesNotContain("<dependencies>");
    }
}
