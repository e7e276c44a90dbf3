package io.flowhost.architecture;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * What the formatter does not check: no class is named by its full name in code, where an import says it once
 * at the top of the file. Comments and strings may name one.
 */
class SourceRulesTest {

    private static final Path ROOT = Path.of("..").toAbsolutePath().normalize();

    /** A qualified class name: lowercase package parts, then a capitalized name. */
    private static final Pattern QUALIFIED = Pattern.compile(
            "(?<![\\w.])(?:java|javax|io|com|org|picocli|ai|software|okhttp3|kotlin)(?:\\.[a-z_][a-z0-9_]*)*\\.[A-Z]\\w*");

    @Test
    void noCodeNamesAClassByItsFullName() throws IOException {
        var found = new ArrayList<String>();
        for (var file : javaFiles()) {
            var lines = Code.withoutCommentsAndStrings(Files.readString(file)).split("\n", -1);
            for (int i = 0; i < lines.length; i++) {
                var line = lines[i].strip();
                if (line.startsWith("import ") || line.startsWith("package ")) {
                    continue;
                }
                var m = QUALIFIED.matcher(lines[i]);
                while (m.find()) {
                    found.add(ROOT.relativize(file) + ":" + (i + 1) + ": " + m.group());
                }
            }
        }
        assertThat(found)
                .as("fully qualified names in code (import them instead)")
                .isEmpty();
    }

    private static List<Path> javaFiles() throws IOException {
        try (Stream<Path> paths = Files.walk(ROOT)) {
            return paths.filter(p -> p.toString().endsWith(".java"))
                    .filter(p -> p.toString().contains("/src/"))
                    .filter(p ->
                            !p.toString().contains("/target/") && !p.toString().contains("/.git/"))
                    .toList();
        }
    }
}
