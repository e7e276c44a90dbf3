package io.flowhost.metaflow;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.flowhost.metaflow.error.NotFoundException;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** Reading the S3 datastore a real Metaflow run wrote, from a real S3-compatible server (moto). */
class S3DatastoreTest {

    static final Path DUMP = Fixtures.DATA.resolve("metaflow-iris-s3-dump");
    static final String RUN = "1795691871664358";
    static MotoS3 moto;

    @BeforeAll
    static void start() throws Exception {
        moto = MotoS3.start();
        moto.load(DUMP);
    }

    @AfterAll
    static void stop() {
        moto.close();
    }

    private static Datastore open(Path metadataRoot) {
        return Datastore.open(
                new Datastore.DatastoreOptions("s3://mf-fixture/some/prefix", moto.endpoint(), metadataRoot));
    }

    @Test
    void theLatestSuccessfulRunAndItsArtifactsAreReadFromS3() {
        try (var datastore = open(DUMP.resolve("local-metadata"))) {
            assertThat(datastore.flows()).containsExactly("IrisFlow");
            var run = datastore.flow("IrisFlow").latestSuccessfulRun().orElseThrow();

            assertThat(run.id()).isEqualTo(RUN);
            assertThat(run.tags()).isNotEmpty();
            assertThat(run.artifact("end", "class_names").asList(String.class))
                    .containsExactly("setosa", "versicolor", "virginica");
            assertThat(run.artifact("end", "model_onnx").bytes()).hasSize(328);
        }
    }

    @Test
    void withoutLocalMetadataRunsAreStillFoundAndOrderedByWhenTheyStarted() {
        try (var datastore = open(null)) {
            var run = datastore.flow("IrisFlow").latestSuccessfulRun().orElseThrow();

            assertThat(run.id()).isEqualTo(RUN);
            assertThat(run.createdAt().toEpochMilli()).isBetween(1_795_691_871_000L, 1_795_691_873_000L);
            assertThat(run.tags()).isEmpty();
        }
    }

    @Test
    void aMissingFlowInS3IsExplained() {
        try (var datastore = open(null)) {
            assertThatThrownBy(() -> datastore.flow("NoSuchFlow"))
                    .isInstanceOf(NotFoundException.class)
                    .hasMessageContaining("s3://mf-fixture/some/prefix")
                    .hasMessageContaining("IrisFlow");
        }
    }
}
