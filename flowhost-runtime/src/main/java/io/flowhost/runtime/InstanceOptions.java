package io.flowhost.runtime;

import java.nio.file.Path;
import java.util.Map;

/**
 * How to run one instance: which service, on which address, with which settings; checked when built.
 *
 * @param jar the service jar, or null when the service class is already on the class path
 * @param className the service class, or null to find the single {@code @Service} class in the jar
 * @param host the address to listen on
 * @param port the port to listen on, 0 for any free one
 * @param portFile where to write the bound port once listening (how a parent learns it), or null
 * @param maxBody the largest request body accepted, in bytes
 * @param settings the deployment's settings, handed to the service through its context
 * @param exitWithParent exit when standard input closes, i.e. when the process that started this one dies
 */
public record InstanceOptions(Path jar, String className, String host, int port, Path portFile, int maxBody,
                              Map<String, String> settings, boolean exitWithParent) {

    /** 16 MiB, the default largest request body. */
    public static final int DEFAULT_MAX_BODY = 16 * 1024 * 1024;

    public InstanceOptions {
        if (jar == null && (className == null || className.isBlank())) {
            throw new IllegalArgumentException("--jar or --class: neither given (expected: the service jar, a class name, or both)");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("--port: " + port + " (expected: 0..65535, 0 for any free port)");
        }
        if (maxBody < 1) {
            throw new IllegalArgumentException("--max-body: " + maxBody + " (expected: >= 1 byte)");
        }
        host = host == null ? "127.0.0.1" : host;
        settings = Map.copyOf(settings);
    }

    /** Options for a service class on the class path, on a free loopback port. */
    public static InstanceOptions forClass(Class<?> serviceClass) {
        return new InstanceOptions(null, serviceClass.getName(), "127.0.0.1", 0, null, DEFAULT_MAX_BODY, Map.of(), false);
    }

    /** These options with other deployment settings. */
    public InstanceOptions withSettings(Map<String, String> newSettings) {
        return new InstanceOptions(jar, className, host, port, portFile, maxBody, newSettings, exitWithParent);
    }
}
