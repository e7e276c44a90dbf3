package io.flowhost.server;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

/**
 * A new version whose contract would break the running version's callers is refused at deploy with each change
 * listed, unless asked for with allow-breaking; a version that only adds fields deploys.
 */
@Tag("e2e")
class BreakingChangeTest {

    @RegisterExtension
    final RunningServer flowhost = new RunningServer();

    @Test
    void aBreakingVersionIsRefusedWithItsChangesUnlessAllowedAndAnAddingOneDeploys() {
        flowhost.deploy(TestJars.of(TestServices.ContractV1.class, TestServices.Quote.class, TestServices.Price.class));
        flowhost.deploy(TestJars.of(
                TestServices.ContractAdded.class, TestServices.QuoteWithNote.class, TestServices.PriceWithTax.class));

        var broken = TestJars.of(
                TestServices.ContractBroken.class, TestServices.ItemOnly.class, TestServices.AmountOnly.class);
        var refused = flowhost.http().deploy(broken, "");

        GatewayTest.assertProblem(refused, 409, "breaking-change");
        var changes = new ArrayList<String>();
        Http.json(refused).path("changes").forEach(change -> changes.add(change.asText()));
        assertThat(changes)
                .contains(
                        "price request field 'quantity' is no longer accepted",
                        "price request field 'note' is no longer accepted",
                        "price answer field 'currency' is dropped",
                        "price answer field 'tax' is dropped");
        assertThat(Http.json(refused).path("detail").asText()).contains("--allow-breaking");
        assertThat(Http.json(flowhost.http().get("/v1/deployments"))
                        .path("deployments")
                        .size())
                .as("the refused version was not deployed")
                .isEqualTo(2);

        var allowed = flowhost.http().deploy(broken, "?allow-breaking=true");
        assertThat(allowed.statusCode()).as(allowed.body()).isEqualTo(201);
    }
}
