package io.flowhost.examples.iris;

import io.flowhost.sdk.Artifacts;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Multinomial logistic regression: softmax(coef · x + intercept), as scikit-learn's
 * {@code LogisticRegression.predict_proba} computes it, with the coefficients IrisFlow saved.
 */
record IrisModel(
        List<String> features,
        List<String> classes,
        double[][] coef,
        double[] intercept,
        double minConfidence,
        String run) {

    /** Reads the model from the artifacts of a run's step, e.g. {@code metaflow://IrisFlow/latest/end}. */
    static IrisModel load(Artifacts artifacts, String step) {
        var run = artifacts.resolve(step + "/coef");
        var model = new IrisModel(
                strings(artifacts.value(step + "/feature_names")),
                strings(artifacts.value(step + "/class_names")),
                matrix(artifacts.value(step + "/coef")),
                vector(artifacts.value(step + "/intercept")),
                ((Number) artifacts.value(step + "/min_confidence")).doubleValue(),
                runOf(run));
        model.check();
        return model;
    }

    /** {@code metaflow://IrisFlow/1795691852170532/end/coef} → {@code IrisFlow/1795691852170532}. */
    private static String runOf(String reference) {
        var parts = reference.replaceFirst("^metaflow://", "").split("/");
        return parts.length >= 2 ? parts[0] + "/" + parts[1] : reference;
    }

    private static List<String> strings(Object value) {
        return ((List<?>) value).stream().map(String::valueOf).toList();
    }

    private static double[] vector(Object value) {
        return ((List<?>) value)
                .stream().mapToDouble(v -> ((Number) v).doubleValue()).toArray();
    }

    private static double[][] matrix(Object value) {
        return ((List<?>) value).stream().map(IrisModel::vector).toArray(double[][]::new);
    }

    private void check() {
        if (coef.length != classes.size() || intercept.length != classes.size()) {
            throw new IllegalArgumentException("the model has " + classes.size() + " classes but " + coef.length
                    + " coefficient rows and " + intercept.length + " intercepts");
        }
        for (var row : coef) {
            if (row.length != features.size()) {
                throw new IllegalArgumentException(
                        "a coefficient row has " + row.length + " values, expected " + features.size());
            }
        }
    }

    Prediction predict(Features flower) {
        double[] x = flower.toArray();
        double[] logits = new double[classes.size()];
        double max = Double.NEGATIVE_INFINITY;
        for (int k = 0; k < logits.length; k++) {
            double z = intercept[k];
            for (int j = 0; j < x.length; j++) {
                z += coef[k][j] * x[j];
            }
            logits[k] = z;
            max = Math.max(max, z);
        }
        // Subtracting the largest logit keeps exp() from overflowing; the ratios are unchanged.
        double sum = 0;
        for (int k = 0; k < logits.length; k++) {
            logits[k] = Math.exp(logits[k] - max);
            sum += logits[k];
        }
        var probabilities = new LinkedHashMap<String, Double>();
        int best = 0;
        for (int k = 0; k < logits.length; k++) {
            probabilities.put(classes.get(k), logits[k] / sum);
            if (logits[k] > logits[best]) {
                best = k;
            }
        }
        double confidence = logits[best] / sum;
        return new Prediction(classes.get(best), confidence, confidence >= minConfidence, probabilities);
    }
}
