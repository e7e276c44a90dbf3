package io.flowhost.metaflow;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import software.amazon.awssdk.auth.credentials.AwsBasicCredentials;
import software.amazon.awssdk.auth.credentials.StaticCredentialsProvider;
import software.amazon.awssdk.core.sync.RequestBody;
import software.amazon.awssdk.http.urlconnection.UrlConnectionHttpClient;
import software.amazon.awssdk.regions.Region;
import software.amazon.awssdk.services.s3.S3Client;

/**
 * A real S3-compatible server for tests: moto, started as a child process on a free loopback
 * port. Credentials and region are fake, given as the system properties the AWS SDK's default
 * chain reads, so the code under test takes its normal path.
 */
public final class MotoS3 implements AutoCloseable {

    private final Process process;
    private final URI endpoint;

    private MotoS3(Process process, URI endpoint) {
        this.process = process;
        this.endpoint = endpoint;
    }

    public static MotoS3 start() throws IOException, InterruptedException {
        System.setProperty("aws.accessKeyId", "testing");
        System.setProperty("aws.secretAccessKey", "testing");
        System.setProperty("aws.region", "us-east-1");
        int port;
        try (var socket = new ServerSocket(0)) {
            port = socket.getLocalPort();
        }
        var process = new ProcessBuilder(
                        List.of("python3", "-m", "moto.server", "-H", "127.0.0.1", "-p", Integer.toString(port)))
                .redirectErrorStream(true)
                .redirectOutput(ProcessBuilder.Redirect.DISCARD)
                .start();
        var deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < deadline) {
            if (!process.isAlive()) {
                throw new IllegalStateException("moto exited with " + process.exitValue()
                        + ": is it installed? (python3 -m moto.server; .ci/run installs it)");
            }
            try (var ignored = new Socket("127.0.0.1", port)) {
                return new MotoS3(process, URI.create("http://127.0.0.1:" + port));
            } catch (IOException notYet) {
                Thread.sleep(50);
            }
        }
        process.destroyForcibly();
        throw new IllegalStateException("moto did not listen on port " + port + " within 30 s");
    }

    public URI endpoint() {
        return endpoint;
    }

    S3Client client() {
        return S3Client.builder()
                .endpointOverride(endpoint)
                .forcePathStyle(true)
                .region(Region.US_EAST_1)
                .httpClient(UrlConnectionHttpClient.create())
                .credentialsProvider(StaticCredentialsProvider.create(AwsBasicCredentials.create("testing", "testing")))
                .build();
    }

    /** Loads the S3 dump fixture (every object with its user metadata) into its bucket. */
    public void load(Path dump) throws IOException {
        var index =
                new ObjectMapper().readTree(dump.resolve("object-metadata.json").toFile());
        var bucket = index.path("bucket").asText();
        try (var s3 = client()) {
            s3.createBucket(b -> b.bucket(bucket));
            var objects = index.path("objects").fields();
            while (objects.hasNext()) {
                var entry = objects.next();
                var metadata = new HashMap<String, String>();
                entry.getValue()
                        .path("user_metadata")
                        .fields()
                        .forEachRemaining(
                                m -> metadata.put(m.getKey(), m.getValue().asText()));
                var bytes = Files.readAllBytes(
                        dump.resolve("bucket").resolve(bucket).resolve(entry.getKey()));
                s3.putObject(
                        b -> b.bucket(bucket).key(entry.getKey()).metadata(metadata), RequestBody.fromBytes(bytes));
            }
        }
    }

    @Override
    public void close() {
        process.destroy();
        try {
            if (!process.waitFor(5, TimeUnit.SECONDS)) {
                process.destroyForcibly();
            }
        } catch (InterruptedException e) {
            process.destroyForcibly();
            Thread.currentThread().interrupt();
        }
    }
}
