package io.flowhost.runtime;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.Attributes;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;
import java.util.jar.Manifest;

/** Builds real service jars from compiled test classes, the way a user's build would package them. */
public final class TestJars {

    private TestJars() {}

    /** Writes a jar at {@code jar} holding the class files of the given classes; returns the jar. */
    public static Path write(Path jar, Class<?>... classes) throws IOException {
        var manifest = new Manifest();
        manifest.getMainAttributes().put(Attributes.Name.MANIFEST_VERSION, "1.0");
        try (var out = new JarOutputStream(Files.newOutputStream(jar), manifest)) {
            for (var type : classes) {
                var entry = type.getName().replace('.', '/') + ".class";
                try (var in = TestJars.class.getResourceAsStream("/" + entry)) {
                    if (in == null) {
                        throw new IllegalStateException(
                                "no class file for " + type.getName() + " on the test class path");
                    }
                    out.putNextEntry(new JarEntry(entry));
                    in.transferTo(out);
                    out.closeEntry();
                }
            }
        }
        return jar;
    }
}
