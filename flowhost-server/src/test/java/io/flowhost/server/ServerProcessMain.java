package io.flowhost.server;

import java.nio.file.Path;

/** Runs a server in a JVM of its own, for tests that kill it: prints its port, then serves until killed. */
public final class ServerProcessMain {

    private ServerProcessMain() {}

    public static void main(String[] args) throws InterruptedException {
        var server =
                FlowhostServer.start(ServerSettings.defaults(Path.of(args[0])).withPort(0));
        System.out.println("port=" + server.port());
        System.out.flush();
        Thread.currentThread().join();
    }
}
