// Lists what the shaded jar bundles and under which licenses, for the tarball's licenses/ (see make-dist.sh):
//
//   java bin/third-party.java JAR DEPENDENCY_LIST MAVEN_REPOSITORY OUT_DIR
//
// DEPENDENCY_LIST is what dependency:list wrote when flowhost-cli was built (flowhost-cli/target/dependencies.txt):
// every library the jar bundles, including those built without Maven that left no pom inside it. Their licenses
// are their poms', or, when a pom names none, its parent's, read from the local Maven repository of that build.
// Writes OUT_DIR/THIRD-PARTY.txt and copies the jar's top-level META-INF license and notice files beside it.

import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.TreeMap;
import java.util.jar.JarFile;
import javax.xml.parsers.DocumentBuilderFactory;
import org.w3c.dom.Document;
import org.w3c.dom.Element;

class ThirdParty {

    record Pom(String group, String artifact, String version, String name, List<String> licenses, String parent) {}

    public static void main(String[] args) throws Exception {
        var jarPath = Path.of(args[0]);
        var dependencies = Path.of(args[1]);
        var repository = Path.of(args[2]);
        var out = Path.of(args[3]);
        Files.createDirectories(out);
        var lines = new TreeMap<String, String>();
        int unknown = 0;
        for (var line : Files.readAllLines(dependencies)) {
            // "   com.fasterxml.jackson.core:jackson-core:jar:2.23.0:compile -- module ...", as dependency:list writes
            var parts = line.strip().split(" ")[0].split(":");
            if (parts.length < 5 || parts[0].equals("io.flowhost")) {
                continue;
            }
            var group = parts[0];
            var artifact = parts[1];
            var version = parts[parts.length - 2];
            var pomFile = pomPath(repository, group, artifact, version);
            List<String> licenses = List.of();
            if (Files.isRegularFile(pomFile)) {
                try (var in = Files.newInputStream(pomFile)) {
                    licenses = licenses(read(in), repository);
                }
            }
            if (licenses.isEmpty()) {
                unknown++;
            }
            lines.put(
                    group + ":" + artifact + ":" + version,
                    licenses.isEmpty() ? "(no license named in its pom or its parents')" : String.join("; ", licenses));
        }
        try (var jar = new JarFile(jarPath.toFile())) {
            for (var entry : jar.stream().toList()) {
                if (!entry.isDirectory() && isNotice(entry.getName())) {
                    try (var in = jar.getInputStream(entry)) {
                        Files.write(out.resolve(entry.getName().substring("META-INF/".length())), in.readAllBytes());
                    }
                }
            }
        }
        var text = new StringBuilder();
        text.append("Libraries bundled in lib/flowhost.jar, and their licenses as their poms (or their parents') name them.\n");
        text.append("The license and notice files that came inside the jar are beside this file.\n\n");
        lines.forEach((gav, licenses) -> text.append(gav).append("\n    ").append(licenses).append('\n'));
        Files.writeString(out.resolve("THIRD-PARTY.txt"), text);
        System.err.println("third-party: " + lines.size() + " bundled libraries, " + unknown + " with no license found");
    }

    private static Path pomPath(Path repository, String group, String artifact, String version) {
        return repository.resolve(group.replace('.', '/'))
                .resolve(artifact)
                .resolve(version)
                .resolve(artifact + "-" + version + ".pom");
    }

    private static boolean isNotice(String name) {
        if (!name.startsWith("META-INF/") || name.substring("META-INF/".length()).contains("/")) {
            return false;
        }
        var file = name.substring("META-INF/".length()).toUpperCase(Locale.ROOT);
        return file.startsWith("LICENSE") || file.startsWith("NOTICE") || file.startsWith("DEPENDENCIES");
    }

    private static List<String> licenses(Pom pom, Path repository) throws Exception {
        var current = pom;
        for (int depth = 0; depth < 8 && current != null; depth++) {
            if (!current.licenses().isEmpty()) {
                return current.licenses();
            }
            if (current.parent() == null) {
                return List.of();
            }
            var parts = current.parent().split(":");
            var file = pomPath(repository, parts[0], parts[1], parts[2]);
            if (!Files.isRegularFile(file)) {
                return List.of();
            }
            try (var in = Files.newInputStream(file)) {
                current = read(in);
            }
        }
        return List.of();
    }

    private static Pom read(InputStream in) throws Exception {
        var factory = DocumentBuilderFactory.newInstance();
        factory.setNamespaceAware(false);
        factory.setFeature("http://apache.org/xml/features/disallow-doctype-decl", true);
        Document doc = factory.newDocumentBuilder().parse(in);
        var project = doc.getDocumentElement();
        var parent = child(project, "parent");
        var group = text(project, "groupId");
        var version = text(project, "version");
        if (parent != null) {
            group = group == null ? text(parent, "groupId") : group;
            version = version == null ? text(parent, "version") : version;
        }
        var licenses = new ArrayList<String>();
        var licensesElement = child(project, "licenses");
        if (licensesElement != null) {
            var list = licensesElement.getElementsByTagName("license");
            for (int i = 0; i < list.getLength(); i++) {
                var license = (Element) list.item(i);
                var name = text(license, "name");
                var url = text(license, "url");
                licenses.add((name == null ? "" : name) + (url == null ? "" : " <" + url + ">"));
            }
        }
        return new Pom(
                group,
                text(project, "artifactId"),
                version,
                text(project, "name"),
                licenses,
                parent == null
                        ? null
                        : text(parent, "groupId") + ":" + text(parent, "artifactId") + ":" + text(parent, "version"));
    }

    private static Element child(Element element, String name) {
        for (var node = element.getFirstChild(); node != null; node = node.getNextSibling()) {
            if (node instanceof Element e && e.getTagName().equals(name)) {
                return e;
            }
        }
        return null;
    }

    private static String text(Element element, String name) {
        var child = child(element, name);
        return child == null ? null : child.getTextContent().strip();
    }
}
