package io.flowhost.server.access;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetSocketAddress;
import org.junit.jupiter.api.Test;

/** Callers' addresses for the audit trail, a forwarding gateway's word for whom it forwarded included. */
class AddressesTest {

    @Test
    void theAddressAForwardedHeaderNamesIsReadQuotedOrNotAndIPv6WithoutItsBrackets() {
        assertThat(Addresses.forwardedFor("for=\"192.0.2.7\"")).isEqualTo("192.0.2.7");
        assertThat(Addresses.forwardedFor("proto=http;For=192.0.2.7, for=10.0.0.1"))
                .isEqualTo("192.0.2.7");
        assertThat(Addresses.forwardedFor("for=\"[2001:db8::1]\"")).isEqualTo("2001:db8::1");
    }

    @Test
    void anythingButAnAddressIsNotTaken() {
        assertThat(Addresses.forwardedFor(null)).isNull();
        assertThat(Addresses.forwardedFor("by=10.0.0.1")).isNull();
        assertThat(Addresses.forwardedFor("for=unknown")).isNull();
        assertThat(Addresses.forwardedFor("for=\"1.2.3.4\\n{\\\"forged\\\": 1}\""))
                .isNull();
        assertThat(Addresses.forwardedFor("for=" + "1".repeat(46))).isNull();
    }

    @Test
    void theAuditedSourceIsThePeerFirstAndWhomItForwardedForAfter() {
        var peer = new InetSocketAddress("10.0.0.5", 41000);

        assertThat(Addresses.audited(peer, null)).isEqualTo("10.0.0.5");
        assertThat(Addresses.audited(peer, "192.0.2.7")).isEqualTo("10.0.0.5 for 192.0.2.7");
    }
}
