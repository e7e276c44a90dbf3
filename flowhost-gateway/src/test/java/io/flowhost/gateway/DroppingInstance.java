package io.flowhost.gateway;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A stand-in instance that drops its first call (reads it, then closes the connection without answering) and keeps
 * listening, as a crashing process's listener may for a moment; later calls it answers 200 with their body. It notes
 * when each call arrived and when it dropped the first.
 */
final class DroppingInstance implements AutoCloseable {

    private final ServerSocket listener;
    private final List<Long> arrivals = new CopyOnWriteArrayList<>();
    private volatile long droppedAt;

    DroppingInstance() throws IOException {
        listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        Thread.ofPlatform().daemon().name("dropping-instance").start(this::accept);
    }

    InetSocketAddress address() {
        return (InetSocketAddress) listener.getLocalSocketAddress();
    }

    /** When each call arrived, by {@link System#nanoTime()}. */
    List<Long> arrivals() {
        return arrivals;
    }

    /** When the first call was dropped, by {@link System#nanoTime()}; 0 until then. */
    long droppedAt() {
        return droppedAt;
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                var socket = listener.accept();
                Thread.ofPlatform().daemon().start(() -> serve(socket));
            } catch (IOException closed) {
                return;
            }
        }
    }

    private void serve(Socket socket) {
        try (socket) {
            var in = socket.getInputStream();
            while (true) {
                var body = readRequest(in);
                if (body == null) {
                    return;
                }
                arrivals.add(System.nanoTime());
                if (arrivals.size() == 1) {
                    droppedAt = System.nanoTime();
                    return; // closes the connection with the call unanswered
                }
                var head = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: " + body.length
                        + "\r\n\r\n";
                var out = socket.getOutputStream();
                out.write(head.getBytes(StandardCharsets.US_ASCII));
                out.write(body);
                out.flush();
            }
        } catch (IOException e) {
            // the gateway closed the connection
        }
    }

    /** The body of the next request on the connection, or null at its end. */
    private static byte[] readRequest(InputStream in) throws IOException {
        var head = new ByteArrayOutputStream();
        int matched = 0;
        while (matched < 4) {
            int c = in.read();
            if (c < 0) {
                return null;
            }
            head.write(c);
            matched = c == "\r\n\r\n".charAt(matched) ? matched + 1 : (c == '\r' ? 1 : 0);
        }
        int length = 0;
        for (var line : head.toString(StandardCharsets.US_ASCII).split("\r\n")) {
            if (line.regionMatches(true, 0, "content-length:", 0, 15)) {
                length = Integer.parseInt(line.substring(15).strip());
            }
        }
        return in.readNBytes(length);
    }

    @Override
    public void close() throws IOException {
        listener.close();
    }
}
