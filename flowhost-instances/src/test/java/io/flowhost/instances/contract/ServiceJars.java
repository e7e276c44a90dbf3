package io.flowhost.instances.contract;

import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.jar.JarEntry;
import java.util.jar.JarOutputStream;

/** Service jars packed from compiled test classes, for drivers to start. */
public final class ServiceJars {

    private ServiceJars() {}

    /** A jar file in {@code dir} holding the class (and its nested classes). */
    public static Path of(Path dir, Class<?> type) {
        var file = dir.resolve(type.getSimpleName() + ".jar");
        try (OutputStream out = Files.newOutputStream(file);
                var jar = new JarOutputStream(out)) {
            add(jar, type);
            for (var nested : type.getDeclaredClasses()) {
                add(jar, nested);
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return file;
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
