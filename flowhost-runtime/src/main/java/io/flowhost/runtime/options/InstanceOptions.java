package io.flowhost.runtime.options;

import io.flowhost.metaflow.Datastore.DatastoreOptions;
import io.flowhost.runtime.predictions.PredictionSettings;
import java.nio.charset.StandardCharsets;
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
 * @param metaflow the Metaflow datastore that {@code metaflow://} references read, or null for none
 * @param pins the runs that {@code latest} references resolve to ({@code Flow} or {@code Flow?tag=t} → run id)
 * @param onnxModel instead of a service class: the reference of an ONNX model to serve over the Open
 *                  Inference Protocol, or null
 * @param modelName the name the ONNX model is served under, with {@code onnxModel}
 * @param predictions how answered calls are logged for training (deployment, sampling rate, directory)
 * @param socket a Unix domain socket file to take calls on too (how the gateway on the same host reaches it with
 *               less work than over TCP), or null for TCP only
 */
public record InstanceOptions(
        Path jar,
        String className,
        String host,
        int port,
        Path portFile,
        int maxBody,
        Map<String, String> settings,
        boolean exitWithParent,
        DatastoreOptions metaflow,
        Map<String, String> pins,
        String onnxModel,
        String modelName,
        PredictionSettings predictions,
        Path socket) {

    /** The variable naming the gateway an instance's service looks up tables at, e.g. {@code http://127.0.0.1:8080}. */
    public static final String GATEWAY_VARIABLE = "FLOWHOST_GATEWAY_URL";

    /** 16 MiB, the default largest request body. */
    public static final int DEFAULT_MAX_BODY = 16 * 1024 * 1024;

    /** The longest socket path, in bytes, that Linux's {@code sun_path} (108 bytes and a terminating zero) holds. */
    public static final int MAX_SOCKET_PATH = 107;

    public InstanceOptions {
        if (onnxModel != null) {
            if (jar != null || className != null) {
                throw new IllegalArgumentException(
                        "--onnx: serves a model without a service class; drop --jar and --class");
            }
            if (modelName == null || !modelName.matches("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")) {
                throw new IllegalArgumentException("--name: '" + modelName + "' (expected: the model's name, 1-63 "
                        + "lowercase letters, digits and dashes)");
            }
        } else if (jar == null && (className == null || className.isBlank())) {
            throw new IllegalArgumentException(
                    "--jar or --class: neither given (expected: the service jar, a class name, or both)");
        }
        if (port < 0 || port > 65_535) {
            throw new IllegalArgumentException("--port: " + port + " (expected: 0..65535, 0 for any free port)");
        }
        if (maxBody < 1) {
            throw new IllegalArgumentException("--max-body: " + maxBody + " (expected: >= 1 byte)");
        }
        if (socket != null && !fitsASocketAddress(socket)) {
            throw new IllegalArgumentException("--socket: " + socket + " is longer than the " + MAX_SOCKET_PATH
                    + " bytes a Unix socket's path may be; give a shorter one");
        }
        host = host == null ? "127.0.0.1" : host;
        settings = Map.copyOf(settings);
        pins = Map.copyOf(pins);
        predictions = predictions == null ? PredictionSettings.defaults() : predictions;
    }

    /** Whether a Unix socket may be bound at this path: it holds at most {@link #MAX_SOCKET_PATH} bytes. */
    public static boolean fitsASocketAddress(Path path) {
        return path.toString().getBytes(StandardCharsets.UTF_8).length <= MAX_SOCKET_PATH;
    }

    /** Options with the default prediction logging (only loggers found through ServiceLoader, if any). */
    public InstanceOptions(
            Path jar,
            String className,
            String host,
            int port,
            Path portFile,
            int maxBody,
            Map<String, String> settings,
            boolean exitWithParent,
            DatastoreOptions metaflow,
            Map<String, String> pins,
            String onnxModel,
            String modelName) {
        this(
                jar,
                className,
                host,
                port,
                portFile,
                maxBody,
                settings,
                exitWithParent,
                metaflow,
                pins,
                onnxModel,
                modelName,
                null,
                null);
    }

    /** Options without a Metaflow datastore or pins. */
    public InstanceOptions(
            Path jar,
            String className,
            String host,
            int port,
            Path portFile,
            int maxBody,
            Map<String, String> settings,
            boolean exitWithParent) {
        this(jar, className, host, port, portFile, maxBody, settings, exitWithParent, null, Map.of(), null, null);
    }

    /** Options for a service class on the class path, on a free loopback port. */
    public static InstanceOptions forClass(Class<?> serviceClass) {
        return new InstanceOptions(
                null, serviceClass.getName(), "127.0.0.1", 0, null, DEFAULT_MAX_BODY, Map.of(), false);
    }

    /** Options serving an ONNX model under a name, on a free loopback port. */
    public static InstanceOptions forOnnx(String model, String name) {
        return new InstanceOptions(
                null, null, "127.0.0.1", 0, null, DEFAULT_MAX_BODY, Map.of(), false, null, Map.of(), model, name);
    }

    /** Whether this instance serves an ONNX model rather than a service class. */
    public boolean servesOnnx() {
        return onnxModel != null;
    }

    /** These options with other deployment settings. */
    public InstanceOptions withSettings(Map<String, String> newSettings) {
        return new InstanceOptions(
                jar,
                className,
                host,
                port,
                portFile,
                maxBody,
                newSettings,
                exitWithParent,
                metaflow,
                pins,
                onnxModel,
                modelName,
                predictions,
                socket);
    }

    /** These options reading {@code metaflow://} references from the given datastore, with these pins. */
    public InstanceOptions withMetaflow(DatastoreOptions datastore, Map<String, String> newPins) {
        return new InstanceOptions(
                jar,
                className,
                host,
                port,
                portFile,
                maxBody,
                settings,
                exitWithParent,
                datastore,
                newPins,
                onnxModel,
                modelName,
                predictions,
                socket);
    }

    /** These options logging predictions as given. */
    public InstanceOptions withPredictions(PredictionSettings newPredictions) {
        return new InstanceOptions(
                jar,
                className,
                host,
                port,
                portFile,
                maxBody,
                settings,
                exitWithParent,
                metaflow,
                pins,
                onnxModel,
                modelName,
                newPredictions,
                socket);
    }
}
