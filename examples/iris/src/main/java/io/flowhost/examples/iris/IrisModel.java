package io.flowhost.examples.iris;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.LinkedHashMap;
import java.util.List;

/**
 * Multinomial logistic regression: softmax(coef · x + intercept), as scikit-learn's
 * {@code LogisticRegression.predict_proba} computes it.
 */
record IrisModel(List<String> features, List<String> classes, double[][] coef, double[] intercept,
                 double minConfidence, String run) {

    static IrisModel parse(byte[] json) {
        try {
            var model = new ObjectMapper().readValue(json, IrisModel.class);
            model.check();
            return model;
        } catch (IOException e) {
            throw new UncheckedIOException("the iris model JSON cannot be read", e);
        }
    }

    private void check() {
        if (coef.length != classes.size() || intercept.length != classes.size()) {
            throw new IllegalArgumentException("the model has " + classes.size() + " classes but " + coef.length
                    + " coefficient rows and " + intercept.length + " intercepts");
        }
        for (var row : coef) {
            if (row.length != features.size()) {
                throw new IllegalArgumentException("a coefficient row has " + row.length + " values, expected "
                        + features.size());
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
            double p = logits[k] / sum;
            probabilities.put(classes.get(k), p);
            if (p > logits[best] / sum) {
                best = k;
            }
        }
        double confidence = logits[best] / sum;
        return new Prediction(classes.get(best), confidence, confidence >= minConfidence, probabilities);
    }
}
