package io.flowhost.cli;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.flowhost.metaflow.Datastore;
import io.flowhost.metaflow.MetaflowRef;
import io.flowhost.metaflow.Run;
import io.flowhost.metaflow.error.MetaflowException;
import io.flowhost.metaflow.pickle.PythonJson;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.function.Supplier;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code flowhost metaflow ...}: looks into a Metaflow datastore the way a service will read it. */
@Command(
        name = "metaflow",
        mixinStandardHelpOptions = true,
        description = "Look into a Metaflow datastore (a local folder or S3) as flowhost reads it, with no Python.",
        subcommands = {MetaflowCommand.Runs.class, MetaflowCommand.Show.class})
final class MetaflowCommand implements Runnable {

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

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

        @Parameters(paramLabel = "REFERENCE", description = "metaflow://Flow/<run-id|latest>/step/artifact[?tag=...]")
        String reference;

        @Option(names = "--json", description = "Print the value as tagged JSON, and nothing else.")
        boolean json;

        @Mixin
        MetaflowOptions metaflow;

        @Override
        public void run() {
            var ref = reading(() -> MetaflowRef.parse(reference));
            var options = metaflow.required();
            try (var datastore = reading(() -> Datastore.open(options))) {
                var artifact = reading(() -> ref.resolve(datastore));
                var value = reading(artifact::value);
                var tagged = PythonJson.toJson(value);
                if (json) {
                    System.out.println(tagged.toString());
                    return;
                }
                System.out.println(artifact.pathspec() + "  (" + artifact.pythonType() + ", " + artifact.encoding()
                        + ", sha1 " + artifact.sha() + ")");
                try {
                    System.out.println(
                            new ObjectMapper().writerWithDefaultPrettyPrinter().writeValueAsString(tagged));
                } catch (JsonProcessingException e) {
                    throw new CliException("cannot print the value: " + e.getMessage());
                }
            }
        }
    }
}
