package io.flowhost.runtime.internal;

import io.flowhost.domain.service.ServiceDefinitionException;
import io.flowhost.sdk.Service;
import java.io.IOException;
import java.io.InputStream;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.jar.JarFile;

/** Finds and loads the {@code @Service} class inside a service jar. */
public final class JarServiceLoader {

    // The annotation's descriptor as it appears in a class file's constant pool; looking for it
    // first means only candidate classes are loaded, not every class of a fat jar.
    private static final byte[] MARKER = "Lio/flowhost/sdk/Service;".getBytes(StandardCharsets.UTF_8);

    private JarServiceLoader() {}

    /** Loads the named class, or the jar's single {@code @Service} class when no name is given. */
    public static Class<?> load(Path jar, String className) throws ServiceDefinitionException {
        if (!Files.isRegularFile(jar)) {
            throw new ServiceDefinitionException("no service jar at " + jar + ": build it first (e.g. ./mvnw package)");
        }
        ClassLoader loader;
        try {
            loader = new URLClassLoader(new URL[] {jar.toUri().toURL()}, JarServiceLoader.class.getClassLoader());
        } catch (IOException e) {
            throw new ServiceDefinitionException("cannot open " + jar + ": " + e.getMessage(), e);
        }
        if (className != null && !className.isBlank()) {
            return loadClass(className, loader, jar);
        }
        // A class file that mentions the annotation (a method using the type, say) is only a candidate:
        // the annotation on the class decides.
        var services = new ArrayList<Class<?>>();
        for (var candidate : candidates(jar)) {
            var type = loadClass(candidate, loader, jar);
            if (type.isAnnotationPresent(Service.class)) {
                services.add(type);
            }
        }
        return single(jar, services);
    }

    private static Class<?> loadClass(String name, ClassLoader loader, Path jar) throws ServiceDefinitionException {
        try {
            return Class.forName(name, false, loader);
        } catch (ClassNotFoundException | LinkageError e) {
            throw new ServiceDefinitionException("cannot load class " + name + " from " + jar + ": " + e, e);
        }
    }

    private static List<String> candidates(Path jar) throws ServiceDefinitionException {
        var found = new ArrayList<String>();
        try (var file = new JarFile(jar.toFile())) {
            var entries = file.entries();
            while (entries.hasMoreElements()) {
                var entry = entries.nextElement();
                var name = entry.getName();
                if (!name.endsWith(".class") || name.startsWith("META-INF/") || name.endsWith("module-info.class")) {
                    continue;
                }
                try (InputStream in = file.getInputStream(entry)) {
                    if (contains(in.readAllBytes(), MARKER)) {
                        found.add(name.substring(0, name.length() - 6).replace('/', '.'));
                    }
                }
            }
        } catch (IOException e) {
            throw new ServiceDefinitionException("cannot read " + jar + " as a jar: " + e.getMessage(), e);
        }
        return found;
    }

    private static Class<?> single(Path jar, List<Class<?>> found) throws ServiceDefinitionException {
        if (found.isEmpty()) {
            throw new ServiceDefinitionException("no class annotated @io.flowhost.sdk.Service in " + jar
                    + ": annotate your service class, or name it with --class");
        }
        if (found.size() > 1) {
            throw new ServiceDefinitionException(jar + " has several @Service classes "
                    + found.stream().map(Class::getName).sorted().toList() + ": choose one with --class");
        }
        return found.getFirst();
    }

    private static boolean contains(byte[] haystack, byte[] needle) {
        outer:
        for (int i = 0; i <= haystack.length - needle.length; i++) {
            for (int j = 0; j < needle.length; j++) {
                if (haystack[i + j] != needle[j]) {
                    continue outer;
                }
            }
            return true;
        }
        return false;
    }
}
