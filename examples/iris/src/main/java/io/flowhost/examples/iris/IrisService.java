package io.flowhost.examples.iris;

import io.flowhost.sdk.CallRejectedException;
import io.flowhost.sdk.Endpoint;
import io.flowhost.sdk.Service;
import io.flowhost.sdk.ServiceContext;
import java.util.List;
import java.util.stream.Stream;

/**
 * Classifies iris flowers with the multinomial logistic regression that IrisFlow trained,
 * reading its coefficients straight from the flow's Metaflow datastore: by default from the end
 * step of the latest successful run (pinned when deployed), or from the run the {@code model}
 * setting names, e.g. {@code --set model=metaflow://IrisFlow/1795691848256588/end}.
 */
@Service(name = "iris")
public final class IrisService {

    private final IrisModel model;

    public IrisService(ServiceContext context) {
        var step = context.setting("model").orElse("metaflow://IrisFlow/latest/end");
        this.model = IrisModel.load(context.artifacts(), step);
        context.logger()
                .log(
                        System.Logger.Level.INFO,
                        "loaded the model of " + model.run() + " (classes " + model.classes() + ", features "
                                + model.features() + ")");
    }

    /** Predicts the species of one flower. */
    @Endpoint(
            value = "predict",
            example = "{\"sepal_length\": 5.1, \"sepal_width\": 3.5, \"petal_length\": 1.4, \"petal_width\": 0.2}")
    public Prediction predict(Features flower) {
        check(flower);
        return model.predict(flower);
    }

    /** Predicts the species of several flowers in one call. */
    @Endpoint(
            value = "predict-batch",
            example =
                    "{\"flowers\": [{\"sepal_length\": 5.1, \"sepal_width\": 3.5, \"petal_length\": 1.4, \"petal_width\": 0.2}]}")
    public List<Prediction> predictBatch(Batch batch) {
        if (batch.flowers() == null || batch.flowers().isEmpty()) {
            throw new CallRejectedException("'flowers' is empty: send at least one flower");
        }
        batch.flowers().forEach(IrisService::check);
        return batch.flowers().stream().map(model::predict).toList();
    }

    /** Classifies many flowers, each prediction sent as soon as it is made (JSON Lines, or Server-Sent Events). */
    @Endpoint(
            value = "predict-stream",
            example =
                    "{\"flowers\": [{\"sepal_length\": 5.1, \"sepal_width\": 3.5, \"petal_length\": 1.4, \"petal_width\": 0.2}]}")
    public Stream<Prediction> predictStream(Batch batch) {
        if (batch.flowers() == null || batch.flowers().isEmpty()) {
            throw new CallRejectedException("'flowers' is empty: send at least one flower");
        }
        batch.flowers().forEach(IrisService::check);
        return batch.flowers().stream().map(model::predict);
    }

    /** Describes the model: its features, classes and confidence threshold. */
    @Endpoint("model")
    public ModelInfo describe() {
        return new ModelInfo(model.features(), model.classes(), model.minConfidence(), model.run());
    }

    private static void check(Features flower) {
        if (flower == null) {
            throw new CallRejectedException(
                    "a flower is null: send sepal_length, sepal_width, petal_length, petal_width");
        }
        double[] values = flower.toArray();
        for (int i = 0; i < values.length; i++) {
            if (!(values[i] > 0 && values[i] < 100)) {
                throw new CallRejectedException(Features.NAMES.get(i) + " is " + values[i]
                        + ": measurements are in centimetres, between 0 and 100");
            }
        }
    }
}
