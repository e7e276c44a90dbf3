package io.flowhost.examples.reader;

import io.flowhost.metaflow.Datastore;
import io.flowhost.metaflow.MetaflowRef;
import java.io.PrintStream;
import java.util.List;

/**
 * A plain JVM program (no flowhost server) that reads what the latest successful IrisFlow run trained: the run, its
 * classes and its coefficients, straight from the flow's Metaflow datastore, with no Python.
 *
 * <pre>
 * java -cp ... io.flowhost.examples.reader.ReadIris examples/iris/metaflow      # or s3://bucket/prefix
 * </pre>
 */
public final class ReadIris {

    private ReadIris() {}

    public static void main(String[] args) {
        if (args.length != 1) {
            System.err.println("usage: ReadIris <metaflow datastore root: a folder holding .metaflow, or s3://...>");
            System.exit(2);
        }
        print(args[0], System.out);
    }

    /** Prints the latest successful IrisFlow run's model, read from the datastore at {@code root}. */
    static void print(String root, PrintStream out) {
        try (var datastore = Datastore.open(root)) {
            var coef = MetaflowRef.parse("metaflow://IrisFlow/latest/end/coef").resolve(datastore);
            var classes = MetaflowRef.parse("metaflow://IrisFlow/latest/end/class_names")
                    .resolve(datastore)
                    .asList(String.class);
            out.println("run: " + coef.task().step().run().pathspec());
            out.println("classes: " + classes);
            var rows = (List<?>) coef.value();
            for (int i = 0; i < rows.size(); i++) {
                out.println("coef[" + classes.get(i) + "]: " + rows.get(i));
            }
        }
    }
}
