package io.flowhost.instances.process;

import ai.onnxruntime.OrtEnvironment;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * ONNX Runtime's native libraries, unpacked once under the data dir so that instances load them
 * from there ({@code onnxruntime.native.path}) instead of unpacking them on every start.
 */
final class OnnxNatives {

    private static final String RESOURCES = "ai/onnxruntime/native/linux-x64/";
    private static final List<String> LIBRARIES = List.of("libonnxruntime.so", "libonnxruntime4j_jni.so");

    private OnnxNatives() {}

    /** The folder holding the unpacked libraries, or empty when this is not linux-x64 or they are not on the class path. */
    static Optional<Path> unpack(Path dir) {
        if (!Natives.linuxX64()) {
            return Optional.empty();
        }
        var loader = OnnxNatives.class.getClassLoader();
        var source = loader.getResource(RESOURCES + LIBRARIES.getFirst());
        if (source == null) {
            return Optional.empty();
        }
        // The version names the folder, so that an upgrade never loads the old libraries.
        var version = Optional.ofNullable(OrtEnvironment.class.getPackage().getImplementationVersion())
                .orElse(Integer.toHexString(source.toString().hashCode()));
        var target = dir.resolve("onnxruntime-" + version);
        try {
            for (var library : LIBRARIES) {
                var file = target.resolve(library);
                if (Files.exists(file)) {
                    continue;
                }
                try (InputStream in = loader.getResourceAsStream(RESOURCES + library)) {
                    if (in == null) {
                        return Optional.empty();
                    }
                    Natives.install(file, in);
                }
            }
            return Optional.of(target);
        } catch (IOException e) {
            return Optional.empty(); // instances then unpack it themselves, as ONNX Runtime does by default
        }
    }
}
