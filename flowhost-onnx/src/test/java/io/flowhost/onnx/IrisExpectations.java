package io.flowhost.onnx;

/**
 * Expected iris outputs, copied from fixtures/metaflow-iris.expected.json, runs."1795691852170532".onnx_check.
 */
public final class IrisExpectations {
    /** Iris rows 0, 50 and 100, as the float32 numbers the model is fed. */
    public static final float[][] SAMPLE_ROWS = {
        {5.099999904632568f, 3.5f, 1.399999976158142f, 0.20000000298023224f},
        {7.0f, 3.200000047683716f, 4.699999809265137f, 1.399999976158142f},
        {6.300000190734863f, 3.299999952316284f, 6.0f, 2.5f},
    };

    public static final float[][] EXPECTED_PROBABILITIES = {
        {0.9472655057907104f, 0.05270992964506149f, 2.4611270418972708e-05f},
        {0.014421309344470501f, 0.6117395162582397f, 0.37383922934532166f},
        {0.00019237230299040675f, 0.057645589113235474f, 0.9421619772911072f},
    };

    public static final int[] EXPECTED_ARGMAX = {0, 1, 2};

    public static final float TOLERANCE = 1e-5f;

    /** The iris model's bytes, read from the test resources. */
    public static byte[] model() {
        return TestModels.iris();
    }

    private IrisExpectations() {}

    public static int argmax(float[] row) {
        int best = 0;
        for (int i = 1; i < row.length; i++) {
            if (row[i] > row[best]) {
                best = i;
            }
        }
        return best;
    }
}
