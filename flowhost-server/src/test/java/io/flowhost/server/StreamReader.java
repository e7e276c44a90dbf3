package io.flowhost.server;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * A streamed answer read off a real socket at the pace the test chooses: the head at once, then the body line by line
 * (its chunked framing undone), so a test can stop reading, or hang up, in the middle.
 */
final class StreamReader implements AutoCloseable {

    private final Socket socket;
    private final InputStream in;
    private final Map<String, String> headers = new LinkedHashMap<>();
    private final int status;
    private final boolean chunked;
    private long left; // bytes left in the current chunk; -1 at the end of the body
    private long read;

    private StreamReader(URI server, String path, String json, String accept) throws IOException {
        socket = new Socket(server.getHost(), server.getPort());
        socket.setSoTimeout(120_000);
        var body = json.getBytes(StandardCharsets.UTF_8);
        var head = "POST " + path + " HTTP/1.1\r\nHost: flowhost\r\nContent-Type: application/json\r\n"
                + (accept == null ? "" : "Accept: " + accept + "\r\n")
                + "Content-Length: " + body.length + "\r\n\r\n";
        var out = socket.getOutputStream();
        out.write(head.getBytes(StandardCharsets.ISO_8859_1));
        out.write(body);
        out.flush();
        in = new BufferedInputStream(socket.getInputStream(), 8192);
        var statusLine = headLine();
        status = Integer.parseInt(statusLine.split(" ")[1]);
        for (String line; !(line = headLine()).isEmpty(); ) {
            int colon = line.indexOf(':');
            headers.put(
                    line.substring(0, colon).strip().toLowerCase(Locale.ROOT),
                    line.substring(colon + 1).strip());
        }
        chunked = "chunked".equalsIgnoreCase(headers.get("transfer-encoding"));
        left = chunked ? 0 : Long.parseLong(headers.getOrDefault("content-length", "0"));
    }

    /** Sends {@code json} to {@code path} and reads the answer's head. */
    static StreamReader post(URI server, String path, String json, String accept) throws IOException {
        return new StreamReader(server, path, json, accept);
    }

    int status() {
        return status;
    }

    String header(String name) {
        return headers.get(name.toLowerCase(Locale.ROOT));
    }

    /** The body's next line, without its end; null at the end of the body. */
    String line() throws IOException {
        var line = new ByteArrayOutputStream();
        for (int b; (b = read()) >= 0; ) {
            if (b == '\n') {
                return line.toString(StandardCharsets.UTF_8);
            }
            line.write(b);
        }
        return line.size() == 0 ? null : line.toString(StandardCharsets.UTF_8);
    }

    /** Reads the rest of the body, returning how many bytes it held, and how many lines. */
    long[] drain() throws IOException {
        var buffer = new byte[64 * 1024];
        long bytes = 0;
        long lines = 0;
        for (int n; (n = read(buffer)) > 0; ) {
            bytes += n;
            for (int i = 0; i < n; i++) {
                if (buffer[i] == '\n') {
                    lines++;
                }
            }
        }
        return new long[] {bytes, lines};
    }

    /** Body bytes read so far. */
    long bodyBytesRead() {
        return read;
    }

    private int read() throws IOException {
        if (!ready()) {
            return -1;
        }
        left--;
        read++;
        return in.read();
    }

    private int read(byte[] buffer) throws IOException {
        if (!ready()) {
            return -1;
        }
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, left));
        if (n < 0) {
            throw new IOException("the connection closed in the middle of a chunk");
        }
        left -= n;
        read += n;
        return n;
    }

    /** Whether body bytes are left, reading the next chunk's size when the current one is used up. */
    private boolean ready() throws IOException {
        if (left > 0) {
            return true;
        }
        if (left < 0 || !chunked) {
            return false;
        }
        if (read > 0) {
            headLine(); // the CRLF after a chunk
        }
        var size = headLine();
        left = Long.parseLong(size.split(";")[0].strip(), 16);
        if (left == 0) {
            while (!headLine().isEmpty()) {} // trailers
            left = -1;
            return false;
        }
        return true;
    }

    private String headLine() throws IOException {
        var line = new StringBuilder();
        for (int b; (b = in.read()) >= 0; ) {
            if (b == '\n') {
                return line.toString().strip();
            }
            line.append((char) b);
        }
        throw new IOException("the connection closed in the middle of a line");
    }

    @Override
    public void close() throws IOException {
        socket.close();
    }
}
