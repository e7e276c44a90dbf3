package io.flowhost.instances.process;

import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Locale;

/** What unpacking a native library for instances takes, whichever library it is. */
final class Natives {

    private Natives() {}

    /** Whether this is linux-x64, the one platform whose libraries are unpacked ahead of instances. */
    static boolean linuxX64() {
        var os = System.getProperty("os.name", "").toLowerCase(Locale.ROOT);
        var arch = System.getProperty("os.arch", "");
        return os.contains("linux") && (arch.equals("amd64") || arch.equals("x86_64"));
    }

    /**
     * Writes {@code file} from {@code in} unless it is there, through a temporary file moved into place in one step,
     * so that an instance starting meanwhile never loads half a library.
     */
    static void install(Path file, InputStream in) throws IOException {
        if (Files.exists(file)) {
            return;
        }
        Files.createDirectories(file.getParent());
        var tmp = Files.createTempFile(file.getParent(), file.getFileName().toString(), ".tmp");
        Files.copy(in, tmp, StandardCopyOption.REPLACE_EXISTING);
        Files.move(tmp, file, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
    }
}
