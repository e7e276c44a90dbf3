package io.flowhost.cli;

import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Parameters;

/** {@code flowhost undeploy <deployment>}: stops serving a deployment. */
@Command(
        name = "undeploy",
        mixinStandardHelpOptions = true,
        description =
                "Stop serving a deployment (e.g. iris-v2) and stop its instances; it stays in the records as retired.")
final class UndeployCommand implements Runnable {

    @Parameters(paramLabel = "DEPLOYMENT", description = "The deployment id, as 'flowhost list' shows it.")
    String id;

    @Mixin
    ClientOptions client;

    @Override
    public void run() {
        var api = client.client();
        var deployment = api.json(api.request("/v1/deployments/" + id).DELETE());
        System.out.println("Undeployed " + deployment.path("id").asText());
    }
}
