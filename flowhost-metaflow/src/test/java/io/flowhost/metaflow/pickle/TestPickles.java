package io.flowhost.metaflow.pickle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/** Pickle bytes for tests: hex literals, protocol-0 text, and the fixtures' gzip CAS blobs from test resources. */
public final class TestPickles {

    static final ObjectMapper JSON = new ObjectMapper();

    private TestPickles() {}

    static byte[] hex(String hex) {
        return HexFormat.of().parseHex(hex);
    }

    static String hexOf(byte[] bytes) {
        return HexFormat.of().formatHex(bytes);
    }

    /** Protocol 0 pickles are text: each char one byte. */
    static byte[] text(String pickle) {
        return pickle.getBytes(StandardCharsets.ISO_8859_1);
    }

    /**
     * A protocol-4 pickle of a string shared 2^levels times through nested pairs of lists ({@code l1 = [s, s]},
     * {@code l2 = [l1, l1]}, ...): about a kilobyte that decodes cheaply but is {@code 2^levels * item.length()}
     * characters of JSON.
     */
    public static byte[] doubling(String item, int levels) {
        var text = item.getBytes(StandardCharsets.UTF_8);
        var out = new ByteArrayOutputStream();
        out.writeBytes(new byte[] {(byte) 0x80, 4, 0x58}); // PROTO 4, BINUNICODE
        out.writeBytes(new byte[] {(byte) text.length, (byte) (text.length >> 8), (byte) (text.length >> 16), 0});
        out.writeBytes(text);
        out.write(0x94); // MEMOIZE: memo 0
        for (int level = 1; level <= levels; level++) {
            // EMPTY_LIST MARK BINGET prev BINGET prev APPENDS MEMOIZE POP
            out.writeBytes(
                    new byte[] {0x5d, 0x28, 0x68, (byte) (level - 1), 0x68, (byte) (level - 1), 0x65, (byte) 0x94, 0x30
                    });
        }
        out.writeBytes(new byte[] {0x68, (byte) levels, 0x2e}); // BINGET last, STOP
        return out.toByteArray();
    }

    @SuppressWarnings("unchecked")
    static List<Object> asList(Object value) {
        return (List<Object>) value;
    }

    @SuppressWarnings("unchecked")
    static Map<Object, Object> asMap(Object value) {
        return (Map<Object, Object>) value;
    }

    static Object decodeHex(String hex) {
        return Pickle.decode(hex(hex));
    }

    /** A CAS blob of a fixture datastore ({@code metaflow-iris} or {@code metaflow-iris-legacy}), gunzipped. */
    static byte[] blob(String fixture, String sha) {
        var path = "/pickle-blobs/" + fixture + "/" + sha + ".gz";
        try (InputStream in = TestPickles.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + path);
            }
            try (var gunzip = new GZIPInputStream(in)) {
                return gunzip.readAllBytes();
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static String sha1(byte[] bytes) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-1").digest(bytes));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    static JsonNode resourceJson(String path) {
        try (InputStream in = TestPickles.class.getResourceAsStream(path)) {
            if (in == null) {
                throw new IllegalStateException("missing test resource " + path);
            }
            return JSON.readTree(in);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static JsonNode json(String text) {
        try {
            return JSON.readTree(text);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
