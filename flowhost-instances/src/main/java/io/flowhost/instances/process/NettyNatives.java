package io.flowhost.instances.process;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Path;
import java.util.Optional;
import java.util.zip.CRC32;

/**
 * Netty's epoll library, unpacked once under the data dir so that instances load it from {@code java.library.path},
 * which Netty tries first, instead of copying it out of its jar into a temporary file on every start (about 5 ms of
 * a start, measured with a profiler; and a start whose copy cannot be loaded where {@code /tmp} is mounted noexec).
 */
final class NettyNatives {

    private static final String LIBRARY = "META-INF/native/libnetty_transport_native_epoll_x86_64.so";

    private NettyNatives() {}

    /** The folder holding the unpacked library, or empty when this is not linux-x64 or it is not on the class path. */
    static Optional<Path> unpack(Path dir) {
        if (!Natives.linuxX64()) {
            return Optional.empty();
        }
        try (InputStream in = NettyNatives.class.getClassLoader().getResourceAsStream(LIBRARY)) {
            if (in == null) {
                return Optional.empty();
            }
            var bytes = in.readAllBytes();
            // Named by its content (a fat jar keeps no version of it), so that an upgrade never loads the old one.
            var crc = new CRC32();
            crc.update(bytes);
            var target = dir.resolve("netty-" + Long.toHexString(crc.getValue()));
            Natives.install(
                    target.resolve(LIBRARY.substring(LIBRARY.lastIndexOf('/') + 1)), new ByteArrayInputStream(bytes));
            return Optional.of(target);
        } catch (IOException e) {
            return Optional.empty(); // instances then unpack it themselves, as Netty does by default
        }
    }
}
