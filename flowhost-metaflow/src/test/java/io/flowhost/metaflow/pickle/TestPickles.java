package io.flowhost.metaflow.pickle;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
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
final class TestPickles {

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
