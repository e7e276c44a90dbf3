package io.flowhost.server;

import io.flowhost.metaflow.Datastore;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Random;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.zip.Deflater;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import java.util.zip.ZipOutputStream;

/** Service jars for tests: the examples as Maven built them, and jars packed from test classes. */
final class TestJars {

    private TestJars() {}

    /** An example's jar, copied to target/example-jars by the build. */
    static Path example(String name) {
        var jar = Path.of("target", "example-jars", "flowhost-example-" + name + ".jar")
                .toAbsolutePath();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException(jar + " is missing: run the tests with ./mvnw verify, which builds it");
        }
        return jar;
    }

    /** The Metaflow datastore the iris example ships with (real IrisFlow runs). */
    static Datastore.DatastoreOptions irisDatastore() {
        return Datastore.DatastoreOptions.of(Path.of("../examples/iris/metaflow")
                .toAbsolutePath()
                .normalize()
                .toString());
    }

    /** An example's jar made {@code mebibytes} MiB larger by a resource stored as it is, written under {@code dir}. */
    static Path largeExample(String name, int mebibytes, Path dir) throws IOException {
        var jar = dir.resolve(name + "-" + mebibytes + "mib.jar");
        try (var in = new ZipInputStream(Files.newInputStream(example(name)));
                var out = new ZipOutputStream(Files.newOutputStream(jar))) {
            out.setLevel(Deflater.NO_COMPRESSION);
            for (ZipEntry entry; (entry = in.getNextEntry()) != null; ) {
                out.putNextEntry(new ZipEntry(entry.getName()));
                in.transferTo(out);
                out.closeEntry();
            }
            out.putNextEntry(new ZipEntry("padding.bin"));
            var mebibyte = new byte[1 << 20];
            for (int i = 0; i < mebibytes; i++) {
                out.write(mebibyte);
            }
            out.closeEntry();
        }
        return jar;
    }

    static byte[] exampleBytes(String name) {
        try {
            return Files.readAllBytes(example(name));
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** A jar holding the given compiled classes (and their nested classes). */
    static byte[] of(Class<?>... classes) {
        return padded(0, classes);
    }

    /** A jar holding the given classes and a resource of random bytes that makes it that much larger. */
    static byte[] padded(int paddingBytes, Class<?>... classes) {
        try {
            var out = new ByteArrayOutputStream();
            try (var jar = new JarOutputStream(out)) {
                for (var type : classes) {
                    add(jar, type);
                    for (var nested : type.getDeclaredClasses()) {
                        add(jar, nested);
                    }
                }
                if (paddingBytes > 0) {
                    var padding = new byte[paddingBytes];
                    new Random(1).nextBytes(padding); // random: does not compress
                    jar.putNextEntry(new JarEntry("padding.bin"));
                    jar.write(padding);
                    jar.closeEntry();
                }
            }
            return out.toByteArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static void add(JarOutputStream jar, Class<?> type) throws IOException {
        var name = type.getName().replace('.', '/') + ".class";
        try (var in = type.getClassLoader().getResourceAsStream(name)) {
            jar.putNextEntry(new JarEntry(name));
            in.transferTo(jar);
            jar.closeEntry();
        }
    }
}
