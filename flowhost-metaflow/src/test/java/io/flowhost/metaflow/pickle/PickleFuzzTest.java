package io.flowhost.metaflow.pickle;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.fasterxml.jackson.core.JsonFactory;
import java.io.IOException;
import java.io.OutputStream;

/**
 * Jazzer's coverage-guided fuzzing of the pickle decoder and of the tagged JSON it feeds, the path every artifact
 * of a flow takes: any bytes either decode and render as JSON, or fail with the decoder's own exceptions (unsupported
 * or corrupt, saying where) or the renderer's documented refusals. Anything else (another exception, a stack
 * overflow, running out of memory, a hang) is a finding that fails the test. The seeds in {@code
 * PickleFuzzTestInputs/} are real CPython and numpy pickles; a finding is saved there and replayed on every run.
 */
class PickleFuzzTest {

    /** Rendered JSON kept per input: enough for every seed, small enough that fuzzing stays fast. */
    private static final long RENDER_LIMIT = 1 << 20;

    private static final JsonFactory JSON = new JsonFactory();

    @FuzzTest
    void decodesOrSaysWhy(byte[] pickle) throws IOException {
        Object value;
        try {
            value = Pickle.decode(pickle);
        } catch (PickleException expected) {
            return;
        }
        try (var out = JSON.createGenerator(new LimitedOutputStream(OutputStream.nullOutputStream(), RENDER_LIMIT))) {
            PythonJson.write(value, out);
        } catch (IllegalArgumentException | OutputLimitException refusedAsDocumented) {
            // a value that contains itself, nests too deep or expands too far, or JSON past the limit
        }
    }
}
