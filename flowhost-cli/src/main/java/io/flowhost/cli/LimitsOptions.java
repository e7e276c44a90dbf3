package io.flowhost.cli;

import io.flowhost.server.http.Limits;
import java.time.Duration;
import picocli.CommandLine.Option;

/** What the server refuses, as flags of {@code server} and {@code serve}; the server checks them at startup. */
final class LimitsOptions {

    @Option(
            names = "--max-body",
            paramLabel = "SIZE",
            converter = ServerOptions.SizeConverter.class,
            description = "Largest request body; more gets 413 as soon as it is passed (default: 16MiB).")
    Integer maxBody;

    @Option(
            names = "--max-jar",
            paramLabel = "SIZE",
            converter = ServerOptions.SizeConverter.class,
            description = "Largest service jar a deploy may upload (default: 512MiB).")
    Integer maxJar;

    @Option(
            names = "--max-held-bytes",
            paramLabel = "SIZE",
            converter = ServerOptions.SizeConverter.class,
            description = "Most bytes of calls held while they wait for an instance, over all services;"
                    + " more get 503 (default: 64MiB).")
    Integer maxHeldBytes;

    @Option(
            names = "--max-pipelined-bytes",
            paramLabel = "SIZE",
            converter = ServerOptions.SizeConverter.class,
            description = "Most bytes of requests one connection may queue behind the one being answered;"
                    + " past it the connection is not read until they drain (default: 16MiB).")
    Integer maxPipelinedBytes;

    @Option(
            names = "--max-connections",
            paramLabel = "N",
            description = "Most open connections; more get 503 and are closed (default: 4096).")
    Integer maxConnections;

    @Option(
            names = "--header-timeout",
            paramLabel = "DURATION",
            description = "How long a caller may take to send a request's headers (default: 10s).")
    Duration headerTimeout;

    @Option(
            names = "--keep-alive-timeout",
            paramLabel = "DURATION",
            description = "How long an idle keep-alive connection is kept open (default: 60s).")
    Duration keepAliveTimeout;

    /** The defaults with the flags given; the record checks them. */
    Limits limits() {
        var d = Limits.defaults();
        return new Limits(
                maxBody != null ? maxBody : d.maxBody(),
                maxJar != null ? maxJar : d.maxJar(),
                maxHeldBytes != null ? maxHeldBytes : d.maxHeldBytes(),
                maxPipelinedBytes != null ? maxPipelinedBytes : d.maxPipelinedBytes(),
                maxConnections != null ? maxConnections : d.maxConnections(),
                headerTimeout != null ? headerTimeout : d.headerTimeout(),
                keepAliveTimeout != null ? keepAliveTimeout : d.keepAliveTimeout());
    }
}
