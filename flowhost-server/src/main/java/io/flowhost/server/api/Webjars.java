package io.flowhost.server.api;

import java.io.IOException;
import java.util.Properties;

/** Where a webjar's files are on the class path: under its version, which its Maven metadata says. */
final class Webjars {

    private Webjars() {}

    /** The resource path of {@code file} in the webjar {@code artifact} (of {@code org.webjars} or its npm group). */
    static String path(String artifact, String file) {
        return "META-INF/resources/webjars/" + artifact + "/" + version(artifact) + "/" + file;
    }

    private static String version(String artifact) {
        for (var group : new String[] {"org.webjars", "org.webjars.npm"}) {
            try (var in = Webjars.class
                    .getClassLoader()
                    .getResourceAsStream("META-INF/maven/" + group + "/" + artifact + "/pom.properties")) {
                if (in != null) {
                    var properties = new Properties();
                    properties.load(in);
                    return properties.getProperty("version");
                }
            } catch (IOException e) {
                // tried in the other group; said as "missing" in the path, which is then not found
            }
        }
        return "missing";
    }
}
