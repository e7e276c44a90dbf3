package io.flowhost.kubernetes;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.nio.charset.StandardCharsets;

/**
 * Where the mock cluster's pods "listen": an instance's {@code /readyz} on 127.0.0.1, reporting the runs it pinned,
 * for the tests whose kubelet only reports statuses.
 */
final class ReadyzStub implements AutoCloseable {

    /** The pod IP the tests report for their pods: where this stub listens. */
    static final String POD_IP = "127.0.0.1";

    private final HttpServer server;

    ReadyzStub(String readyz) {
        try {
            server = HttpServer.create(new InetSocketAddress(POD_IP, 0), 0);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        var body = readyz.getBytes(StandardCharsets.UTF_8);
        server.createContext("/readyz", exchange -> {
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        server.start();
    }

    /** The port the "instances" listen on: the driver's settings use it. */
    int port() {
        return server.getAddress().getPort();
    }

    @Override
    public void close() {
        server.stop(0);
    }
}
