package io.flowhost.runtime.predictions;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/** The README.md put beside the prediction files, so that whoever finds them knows how to read them. */
final class LayoutReadme {

    static final String TEXT = """
            # Prediction logs

            Written by flowhost: one JSON object per line for each sampled call of this deployment.

            ## Layout

            Hive-style partitions by UTC hour; a new file every hour and past 64 MiB. Each instance of
            the deployment writes its own files (the next free number), so files are never shared.

                date=2026-11-26/hour=14/predictions-2026-11-26T14-00-00Z-000.jsonl
                date=2026-11-26/hour=14/predictions-2026-11-26T14-00-00Z-001.jsonl
                date=2026-11-26/hour=15/predictions-2026-11-26T15-00-00Z-000.jsonl

            Files of past hours are complete; those of the current hour are still growing.

            ## Fields

            | field | meaning |
            |---|---|
            | `time` | when the answer was ready, ISO-8601 UTC |
            | `deployment`, `service`, `endpoint` | who answered, e.g. `iris-v3`, `iris`, `predict` |
            | `metaflowRun` | the Metaflow run the deployment serves, `Flow/run`, or null |
            | `requestId` | the call's `X-Request-Id` |
            | `traceId` | the call's W3C trace id, or null |
            | `status` | the HTTP status answered (2xx, or the service's rejection or failure) |
            | `latencyMs` | time in the instance, in milliseconds |
            | `request`, `response` | the bodies as JSON; null when empty |
            | `requestBase64`, `responseBase64` | instead, for a body that is not JSON |

            ## Reading them back

            DuckDB: `SELECT * FROM read_json_auto('predictions/iris-v3/**/*.jsonl', hive_partitioning = true)`

            pandas: `pd.concat(pd.read_json(f, lines=True) for f in glob.glob('predictions/iris-v3/**/*.jsonl', recursive=True))`
            """;

    private LayoutReadme() {}

    /** Writes the README into {@code dir} unless it is there already. */
    static void writeTo(Path dir) throws IOException {
        var readme = dir.resolve("README.md");
        if (Files.exists(readme)) {
            return;
        }
        try {
            Files.writeString(
                    readme, TEXT, StandardCharsets.UTF_8, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        } catch (FileAlreadyExistsException e) {
            // another instance of the deployment wrote it first
        }
    }
}
