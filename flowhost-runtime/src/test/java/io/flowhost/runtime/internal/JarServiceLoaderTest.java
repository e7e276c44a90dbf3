package io.flowhost.runtime.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.flowhost.domain.service.ServiceDefinitionException;
import io.flowhost.runtime.TestJars;
import io.flowhost.sdk.Endpoint;
import io.flowhost.sdk.Service;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JarServiceLoaderTest {

    @TempDir
    Path dir;

    public record Greeting(String text) {}

    @Service(name = "alpha")
    public static class Alpha {

        @Endpoint
        public Greeting greet() {
            return new Greeting(Helper.shout("alpha"));
        }
    }

    @Service(name = "beta")
    public static class Beta {

        @Endpoint
        public Map<String, Object> echo(Map<String, Object> body) {
            return body;
        }
    }

    /** A plain class of the service jar. */
    public static final class Helper {

        private Helper() {}

        public static String shout(String text) {
            return text.toUpperCase(Locale.ROOT) + "!";
        }
    }

    /** A class that reads the annotation (as a banner or a framework adapter would) but is no service. */
    public static final class AnnotationReader {

        private AnnotationReader() {}

        public static String nameOf(Service service) {
            return service.name();
        }
    }

    @Test
    void theSingleServiceClassOfAJarIsFoundWithoutNamingIt() throws Exception {
        var jar = TestJars.write(dir.resolve("alpha.jar"), Alpha.class, Greeting.class, Helper.class);

        var type = JarServiceLoader.load(jar, null);

        assertThat(type.getName()).isEqualTo(Alpha.class.getName());
    }

    @Test
    void aClassNamedWithClassIsLoadedEvenWhenTheJarHasSeveralServices() throws Exception {
        var jar = TestJars.write(dir.resolve("both.jar"), Alpha.class, Beta.class, Greeting.class, Helper.class);

        var type = JarServiceLoader.load(jar, Beta.class.getName());

        assertThat(type.getName()).isEqualTo(Beta.class.getName());
    }

    @Test
    void aJarWithTwoServiceClassesIsRejectedNamingBothAndSuggestingClass() throws Exception {
        var jar = TestJars.write(dir.resolve("both.jar"), Alpha.class, Beta.class, Greeting.class, Helper.class);

        var message = rejection(jar, null);

        assertThat(message)
                .contains(jar.toString())
                .contains(Alpha.class.getName())
                .contains(Beta.class.getName())
                .contains("--class");
    }

    @Test
    void aJarWithoutServiceClassesIsRejectedSayingSo() throws Exception {
        var jar = TestJars.write(dir.resolve("none.jar"), Greeting.class, Helper.class);

        var message = rejection(jar, null);

        assertThat(message)
                .contains("no class annotated @io.flowhost.sdk.Service")
                .contains(jar.toString())
                .contains("--class");
    }

    @Test
    void aMissingJarIsRejectedSayingToBuildIt() {
        var jar = dir.resolve("target/never-built.jar");

        var message = rejection(jar, null);

        assertThat(message).contains("no service jar at " + jar).contains("build it first");
    }

    @Test
    void aFileThatIsNotAJarIsRejectedSayingSo() throws Exception {
        var notAJar = Files.writeString(dir.resolve("service.jar"), "this is not a zip file");

        var message = rejection(notAJar, null);

        assertThat(message).contains("cannot read " + notAJar + " as a jar");
    }

    @Test
    void aNamedClassThatCannotBeLoadedIsRejectedNamingItAndTheJar() throws Exception {
        var jar = TestJars.write(dir.resolve("alpha.jar"), Alpha.class, Greeting.class, Helper.class);

        var message = rejection(jar, "com.example.Missing");

        assertThat(message).contains("cannot load class com.example.Missing from " + jar);
    }

    @Test
    void aClassThatOnlyMentionsTheServiceAnnotationIsNotTakenForAService() throws Exception {
        var jar = TestJars.write(
                dir.resolve("alpha.jar"), Alpha.class, Greeting.class, Helper.class, AnnotationReader.class);

        var type = JarServiceLoader.load(jar, null);

        assertThat(type.getName()).isEqualTo(Alpha.class.getName());
    }

    private static String rejection(Path jar, String className) {
        try {
            var type = JarServiceLoader.load(jar, className);
            return fail("expected " + jar + " to be rejected, but it loaded " + type.getName());
        } catch (ServiceDefinitionException e) {
            return e.getMessage();
        }
    }
}
