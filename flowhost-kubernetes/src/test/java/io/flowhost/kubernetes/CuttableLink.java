package io.flowhost.kubernetes;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;

/**
 * A TCP relay between a client and the mock API server that a test can cut, as a network partition or an API
 * server restart cuts a watch: every open connection is reset, and new ones are refused until it is mended.
 */
final class CuttableLink implements AutoCloseable {

    private final InetSocketAddress target;
    private final ServerSocket listener;
    private final Set<Socket> open = ConcurrentHashMap.newKeySet();
    private volatile boolean cut;

    CuttableLink(String host, int port) {
        this.target = new InetSocketAddress(host, port);
        try {
            listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        Thread.ofVirtual().name("link-accept").start(this::accept);
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Resets every connection through the link and refuses new ones. */
    void cut() {
        cut = true;
        for (var socket : open) {
            close(socket);
        }
    }

    /** Lets connections through again. */
    void mend() {
        cut = false;
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                var client = listener.accept();
                if (cut) {
                    client.setSoLinger(true, 0); // a reset, as a refused connection would be
                    client.close();
                    continue;
                }
                var server = new Socket(target.getAddress(), target.getPort());
                open.add(client);
                open.add(server);
                Thread.ofVirtual().start(() -> pump(client, server));
                Thread.ofVirtual().start(() -> pump(server, client));
            } catch (IOException e) {
                // closed, or one connection failed: the client sees it and connects again
            }
        }
    }

    private void pump(Socket from, Socket to) {
        var buffer = new byte[16 * 1024];
        try (InputStream in = from.getInputStream();
                OutputStream out = to.getOutputStream()) {
            int n;
            while ((n = in.read(buffer)) >= 0) {
                out.write(buffer, 0, n);
                out.flush();
            }
        } catch (IOException e) {
            // reset or closed: the other direction ends too
        } finally {
            close(from);
            close(to);
        }
    }

    private void close(Socket socket) {
        open.remove(socket);
        try {
            socket.setSoLinger(true, 0);
            socket.close();
        } catch (IOException e) {
            // already gone
        }
    }

    @Override
    public void close() {
        cut();
        try {
            listener.close();
        } catch (IOException e) {
            // already closed
        }
    }
}
