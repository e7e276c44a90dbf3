package io.flowhost.server;

import io.flowhost.state.postgres.PostgresUrl;
import java.nio.file.Path;

/** Runs a server in a JVM of its own, for tests that kill it: prints its port, then serves until killed. */
public final class ServerProcessMain {

    private ServerProcessMain() {}

    /** Arguments: the data dir, and optionally a PostgreSQL state URL. */
    public static void main(String[] args) throws InterruptedException {
        var settings = ServerSettings.defaults(Path.of(args[0])).withPort(0);
        if (args.length > 1) {
            settings = settings.withState(PostgresUrl.parse(args[1]));
        }
        var server = FlowhostServer.start(settings);
        System.out.println("port=" + server.port());
        System.out.flush();
        Thread.currentThread().join();
    }
}
