package io.flowhost.cli.release;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.time.format.DateTimeFormatter;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A folder in Maven's repository layout: the user's local repository, or one a team hosts ({@code file:} or over
 * HTTP). Artifacts are written with their checksums and metadata, snapshots under their plain version
 * ({@code localCopy}), so that Maven resolves them from either kind.
 */
public final class MavenRepository {

    private static final Pattern LOCAL_REPOSITORY =
            Pattern.compile("<localRepository>\\s*([^<]+?)\\s*</localRepository>");
    private static final DateTimeFormatter TIMESTAMP = DateTimeFormatter.ofPattern("yyyyMMddHHmmss");

    private final Path root;

    public MavenRepository(Path root) {
        this.root = root;
    }

    /**
     * The user's local repository as Maven finds it: {@code -Dmaven.repo.local}, else {@code localRepository} in
     * {@code ~/.m2/settings.xml}, else {@code ~/.m2/repository}.
     */
    public static MavenRepository local(Map<String, String> systemProperties) {
        var home = Path.of(systemProperties.getOrDefault("user.home", "."));
        var chosen = Optional.ofNullable(systemProperties.get("maven.repo.local"))
                .filter(s -> !s.isBlank())
                .map(Path::of)
                .or(() -> fromSettings(home.resolve(".m2/settings.xml"), home))
                .orElse(home.resolve(".m2/repository"));
        return new MavenRepository(chosen.toAbsolutePath());
    }

    private static Optional<Path> fromSettings(Path settings, Path home) {
        if (!Files.isRegularFile(settings)) {
            return Optional.empty();
        }
        try {
            var m = LOCAL_REPOSITORY.matcher(Files.readString(settings));
            return m.find()
                    ? Optional.of(Path.of(m.group(1).replace("${user.home}", home.toString())))
                    : Optional.empty();
        } catch (IOException e) {
            return Optional
                    .empty(); // an unreadable settings file: Maven's default, as Maven itself would warn and go on
        }
    }

    public Path root() {
        return root;
    }

    /** Whether the repository already holds the jar and its pom. */
    public boolean has(PublishedJar jar) {
        var dir = versionDir(jar);
        var base = jar.artifactId() + "-" + jar.version();
        return Files.isRegularFile(dir.resolve(base + ".jar")) && Files.isRegularFile(dir.resolve(base + ".pom"));
    }

    /** Writes the jar, its pom, their SHA-1 checksums and the metadata Maven reads; returns the jar's path. */
    public Path install(PublishedJar jar) {
        var dir = versionDir(jar);
        var base = jar.artifactId() + "-" + jar.version();
        var now = ZonedDateTime.now(ZoneOffset.UTC).format(TIMESTAMP);
        try {
            Files.createDirectories(dir);
            write(dir.resolve(base + ".jar"), jar.jar());
            write(dir.resolve(base + ".pom"), jar.pom().getBytes(StandardCharsets.UTF_8));
            if (jar.version().endsWith("-SNAPSHOT")) {
                write(
                        dir.resolve("maven-metadata.xml"),
                        snapshotMetadata(jar, now).getBytes(StandardCharsets.UTF_8));
            }
            write(
                    dir.getParent().resolve("maven-metadata.xml"),
                    versionsMetadata(jar, versionsHeld(jar), now).getBytes(StandardCharsets.UTF_8));
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write " + base + " into " + dir + ": " + e.getMessage(), e);
        }
        return dir.resolve(base + ".jar");
    }

    private Path versionDir(PublishedJar jar) {
        return root.resolve(PublishedJar.GROUP_ID.replace('.', '/'))
                .resolve(jar.artifactId())
                .resolve(jar.version());
    }

    private static void write(Path file, byte[] bytes) throws IOException {
        Files.write(file, bytes);
        Files.writeString(file.resolveSibling(file.getFileName() + ".sha1"), sha1(bytes));
    }

    private static String snapshotMetadata(PublishedJar jar, String now) {
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <metadata modelVersion="1.1.0">
                  <groupId>%s</groupId>
                  <artifactId>%s</artifactId>
                  <version>%s</version>
                  <versioning>
                    <snapshot>
                      <localCopy>true</localCopy>
                    </snapshot>
                    <lastUpdated>%s</lastUpdated>
                  </versioning>
                </metadata>
                """.formatted(PublishedJar.GROUP_ID, jar.artifactId(), jar.version(), now);
    }

    /**
     * Every version of the artifact the repository holds (a folder with its pom), the one being installed among them:
     * a hosted repository keeps the versions installed into it before, and its metadata must go on naming them.
     */
    private List<String> versionsHeld(PublishedJar jar) throws IOException {
        var artifactDir = versionDir(jar).getParent();
        try (var dirs = Files.list(artifactDir)) {
            return dirs.filter(d -> Files.isRegularFile(d.resolve(jar.artifactId() + "-" + d.getFileName() + ".pom")))
                    .map(d -> d.getFileName().toString())
                    .sorted(MavenRepository::compareVersions)
                    .toList();
        }
    }

    /** Maven's order, for the versions flowhost makes: numbers as numbers, and a snapshot before its release. */
    static int compareVersions(String a, String b) {
        var x = a.split("[.-]");
        var y = b.split("[.-]");
        for (int i = 0; i < Math.min(x.length, y.length); i++) {
            boolean xNumber = x[i].chars().allMatch(Character::isDigit);
            boolean yNumber = y[i].chars().allMatch(Character::isDigit);
            int c = xNumber && yNumber
                    ? new BigInteger(x[i]).compareTo(new BigInteger(y[i]))
                    : xNumber ? 1 : yNumber ? -1 : x[i].compareToIgnoreCase(y[i]);
            if (c != 0) {
                return c;
            }
        }
        // 1.2.0 after 1.2.0-SNAPSHOT (a qualifier comes before the release), 1.2.0.1 after 1.2.0
        if (x.length == y.length) {
            return 0;
        }
        boolean xLonger = x.length > y.length;
        var extra = xLonger ? x[y.length] : y[x.length];
        boolean extraIsNumber = extra.chars().allMatch(Character::isDigit);
        return (xLonger == extraIsNumber) ? 1 : -1;
    }

    private static String versionsMetadata(PublishedJar jar, List<String> versions, String now) {
        var listed = new StringBuilder();
        for (var version : versions) {
            listed.append("      <version>").append(version).append("</version>\n");
        }
        var releases = versions.stream().filter(v -> !v.endsWith("-SNAPSHOT")).toList();
        var release = releases.isEmpty() ? "" : "    <release>" + releases.getLast() + "</release>\n";
        return """
                <?xml version="1.0" encoding="UTF-8"?>
                <metadata>
                  <groupId>%s</groupId>
                  <artifactId>%s</artifactId>
                  <versioning>
                    <latest>%s</latest>
                %s    <versions>
                %s    </versions>
                    <lastUpdated>%s</lastUpdated>
                  </versioning>
                </metadata>
                """.formatted(PublishedJar.GROUP_ID, jar.artifactId(), versions.getLast(), release, listed, now);
    }

    private static String sha1(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JDK has SHA-1", e);
        }
    }
}
