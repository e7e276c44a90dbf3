package io.flowhost.examples.reader;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;

/** The example program on the iris example's datastore (three runs: the latest failed, so the one before is read). */
class ReadIrisTest {

    @Test
    void readsTheLatestSuccessfulRunsModel() {
        var out = new ByteArrayOutputStream();
        ReadIris.print(
                Path.of("../iris/metaflow").toAbsolutePath().normalize().toString(),
                new PrintStream(out, true, StandardCharsets.UTF_8));

        var lines = out.toString(StandardCharsets.UTF_8).lines().toList();
        assertThat(lines.get(0)).isEqualTo("run: IrisFlow/1795691852170532");
        assertThat(lines.get(1)).isEqualTo("classes: [setosa, versicolor, virginica]");
        assertThat(lines).hasSize(5);
        assertThat(lines.get(2)).startsWith("coef[setosa]: [");
    }
}
