package io.flowhost.onnx;

import static io.flowhost.onnx.IrisExpectations.EXPECTED_PROBABILITIES;
import static io.flowhost.onnx.IrisExpectations.SAMPLE_ROWS;
import static io.flowhost.onnx.IrisExpectations.TOLERANCE;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;

class ConcurrentInferenceTest {
    private static final int THREADS = 8;
    private static final int CALLS_PER_THREAD = 250;

    @Test
    @Timeout(value = 60, unit = TimeUnit.SECONDS)
    void manyThreadsCallingOneModelAllGetTheirOwnCorrectAnswers() throws Exception {
        try (OnnxModel model = OnnxModel.load(TestModels.iris())) {
            ExecutorService pool = Executors.newFixedThreadPool(THREADS);
            try {
                // All threads start together, so that calls really overlap on the shared session.
                CountDownLatch start = new CountDownLatch(1);
                List<Future<Integer>> results = new ArrayList<>();
                for (int t = 0; t < THREADS; t++) {
                    results.add(pool.submit(caller(model, start, new SplittableRandom(t))));
                }
                start.countDown();
                for (Future<Integer> result : results) {
                    assertThat(result.get(50, TimeUnit.SECONDS)).isEqualTo(CALLS_PER_THREAD);
                }
            } finally {
                pool.shutdownNow();
            }
        }
    }

    /** Each call sends a random batch of sample rows, so that any mix-up between calls shows as a wrong row. */
    private static Callable<Integer> caller(OnnxModel model, CountDownLatch start, SplittableRandom random) {
        return () -> {
            start.await();
            for (int call = 0; call < CALLS_PER_THREAD; call++) {
                int[] picks = random.ints(1 + random.nextInt(8), 0, SAMPLE_ROWS.length)
                        .toArray();
                float[][] rows = new float[picks.length][];
                for (int i = 0; i < picks.length; i++) {
                    rows[i] = SAMPLE_ROWS[picks[i]];
                }
                float[][] probabilities = call % 2 == 0
                        ? model.predict(rows)
                        : model.infer(Map.of("features", Tensor.fp32("features", rows)))
                                .get("probabilities")
                                .asFloatMatrix();
                assertThat(probabilities).hasNumberOfRows(picks.length);
                for (int i = 0; i < picks.length; i++) {
                    for (int c = 0; c < 3; c++) {
                        assertThat(probabilities[i][c])
                                .isCloseTo(EXPECTED_PROBABILITIES[picks[i]][c], within(TOLERANCE));
                    }
                }
            }
            return CALLS_PER_THREAD;
        };
    }
}
