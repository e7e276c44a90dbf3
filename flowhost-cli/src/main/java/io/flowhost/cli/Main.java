package io.flowhost.cli;

import io.flowhost.runtime.Logging;
import java.time.Duration;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The {@code flowhost} command. */
@Command(
        name = "flowhost",
        mixinStandardHelpOptions = true,
        versionProvider = Version.class,
        description = {
            "Serve models and artifacts from ML training flows as web services.",
            "",
            "Start here:  flowhost new my-service         (a project to build and serve)",
            "             flowhost serve my-service.jar   (server + deploy + a curl line to try)"
        },
        subcommands = {
            NewCommand.class,
            ServeCommand.class,
            ServerCommand.class,
            DeployCommand.class,
            ListCommand.class,
            InvokeCommand.class,
            UndeployCommand.class,
            RolloutCommand.class,
            TableCommand.class,
            StatusCommand.class,
            RequestsCommand.class,
            LogsCommand.class,
            AuditCommand.class,
            AlertsCommand.class,
            TokensCommand.class,
            SimulateCommand.class,
            MetaflowCommand.class,
            SdkRepositoryCommand.class,
            CommandLine.HelpCommand.class
        })
public final class Main implements Runnable {

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    public static void main(String[] args) {
        Logging.configure();
        System.exit(commandLine().execute(args));
    }

    /** The command line with flowhost's converters and error handling; tests run it in-process. */
    static CommandLine commandLine() {
        var cli = new CommandLine(new Main());
        // "-d @body.json" names a request body, not one of picocli's argument files.
        cli.setExpandAtFiles(false);
        cli.registerConverter(Duration.class, Conversions::duration);
        cli.setExecutionExceptionHandler((e, commandLine, parseResult) -> {
            commandLine.getErr().println("flowhost: " + e.getMessage());
            return e instanceof CliException cli2 ? cli2.exitCode() : 1;
        });
        return cli;
    }

    @Override
    public void run() {
        spec.commandLine().usage(spec.commandLine().getOut());
    }
}
