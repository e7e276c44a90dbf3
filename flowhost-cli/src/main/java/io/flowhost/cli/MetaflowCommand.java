package io.flowhost.cli;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.StreamWriteFeature;
import io.flowhost.metaflow.Artifact;
import io.flowhost.metaflow.Datastore;
import io.flowhost.metaflow.MetaflowRef;
import io.flowhost.metaflow.Run;
import io.flowhost.metaflow.error.MetaflowException;
import io.flowhost.metaflow.pickle.LimitedOutputStream;
import io.flowhost.metaflow.pickle.OutputLimitException;
import io.flowhost.metaflow.pickle.PythonJson;
import java.io.IOException;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** {@code flowhost metaflow ...}: looks into a Metaflow datastore the way a service will read it. */
@Command(
        name = "metaflow",
        mixinStandardHelpOptions = true,
        description = "Look into a Metaflow datastore (a local folder or S3) as flowhost reads it, with no Python.",
        subcommands = {MetaflowCommand.Runs.class, MetaflowCommand.Show.class})
final class MetaflowCommand implements Runnable {

    @Spec
    CommandSpec spec;

    @Override
    public void run() {
        spec.commandLine().usage(System.out);
    }

    static <T> T reading(Supplier<T> read) {
        try {
            return read.get();
        } catch (MetaflowException e) {
            throw new CliException(e.getMessage());
        } catch (IllegalArgumentException e) {
            throw new CliException(e.getMessage(), 2);
        }
    }

    /** {@code flowhost metaflow runs <Flow>}. */
    @Command(
            name = "runs",
            mixinStandardHelpOptions = true,
            description = "List a flow's runs, newest first, as Metaflow's client orders them.")
    static final class Runs implements Runnable {

        private static final DateTimeFormatter TIME =
                DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss").withZone(ZoneOffset.UTC);

        @Parameters(paramLabel = "FLOW", description = "The flow, e.g. IrisFlow.")
        String flow;

        @Option(names = "--tag", paramLabel = "TAG", description = "Only the runs carrying this tag.")
        String tag;

        @Mixin
        MetaflowOptions metaflow;

        @Override
        public void run() {
            var options = metaflow.required();
            try (var datastore = reading(() -> Datastore.open(options))) {
                var runs = reading(() -> datastore.flow(flow).runs(tag));
                var format = "%-22s %-20s %-11s %s%n";
                System.out.printf(format, "RUN", "CREATED (UTC)", "SUCCESSFUL", "TAGS");
                for (Run run : runs) {
                    System.out.printf(
                            format,
                            run.id(),
                            TIME.format(run.createdAt()),
                            reading(run::successful) ? "yes" : "no",
                            String.join(", ", run.tags()));
                }
                if (runs.isEmpty()) {
                    System.out.println("(flow " + flow + " has no runs" + (tag == null ? "" : " tagged " + tag) + ")");
                }
            }
        }
    }

    /** {@code flowhost metaflow show <ref>}. */
    @Command(
            name = "show",
            mixinStandardHelpOptions = true,
            description = {
                "Print an artifact's value, read on the JVM.",
                "With --json, in the tagged JSON form of flowhost's Metaflow fixtures, to compare with Metaflow's client."
            })
    static final class Show implements Runnable {

        /** Far more than anyone reads in a terminal, far less than a small hostile pickle can expand to. */
        static final int DEFAULT_MAX_OUTPUT = 16 * 1024 * 1024;

        /** Stops after a failed write: no closing brackets that would make a cut value look whole. */
        private static final JsonFactory JSON = JsonFactory.builder()
                .disable(StreamWriteFeature.AUTO_CLOSE_CONTENT)
                .build();

        @Parameters(paramLabel = "REFERENCE", description = "metaflow://Flow/<run-id|latest>/step/artifact[?tag=...]")
        String reference;

        @Option(names = "--json", description = "Print the value as tagged JSON, and nothing else.")
        boolean json;

        @Option(
                names = "--max-output",
                paramLabel = "SIZE",
                converter = ServerOptions.SizeConverter.class,
                description = "Most bytes of the value to print; past them printing stops and the command fails"
                        + " (default: 16MiB).")
        int maxOutput = DEFAULT_MAX_OUTPUT;

        @Mixin
        MetaflowOptions metaflow;

        @Override
        public void run() {
            var ref = reading(() -> MetaflowRef.parse(reference));
            var options = metaflow.required();
            try (var datastore = reading(() -> Datastore.open(options))) {
                var artifact = reading(() -> ref.resolve(datastore));
                try {
                    print(artifact);
                } catch (OutOfMemoryError e) {
                    // print's frame, holding the value, is gone by now: there is memory again to say so.
                    throw new CliException("ran out of memory reading " + artifact.pathspec() + ": its blob or its "
                            + "pickle expands to more than this JVM may hold ("
                            + size(Runtime.getRuntime().maxMemory())
                            + "); if the artifact really is that large, give java more, e.g. JAVA_TOOL_OPTIONS=-Xmx8g");
                }
            }
        }

        /** Decodes the value and streams its JSON, never more than --max-output bytes of it. */
        private void print(Artifact artifact) {
            var value = reading(artifact::value);
            if (!json) {
                System.out.println(artifact.pathspec() + "  (" + artifact.pythonType() + ", " + artifact.encoding()
                        + ", sha1 " + artifact.sha() + ")");
            }
            try {
                try (var generator = JSON.createGenerator(new LimitedOutputStream(System.out, maxOutput))) {
                    if (!json) {
                        generator.useDefaultPrettyPrinter();
                    }
                    PythonJson.write(value, generator);
                }
                System.out.println();
            } catch (OutputLimitException e) {
                System.out.println(); // so that the message starts a line of its own
                throw new CliException("stopped printing " + artifact.pathspec() + " after " + size(maxOutput)
                        + ": its JSON is larger than --max-output; give a larger one, e.g. --max-output 256MiB, "
                        + "to print more");
            } catch (IllegalArgumentException e) {
                throw new CliException("cannot print " + artifact.pathspec() + " as JSON: " + e.getMessage());
            } catch (IOException e) {
                throw new CliException("cannot print " + artifact.pathspec() + ": " + e.getMessage());
            }
        }

        private static String size(long bytes) {
            long mib = 1024 * 1024;
            return bytes % mib == 0 ? bytes / mib + " MiB" : bytes + " bytes";
        }
    }
}
