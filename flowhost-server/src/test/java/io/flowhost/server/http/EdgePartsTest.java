package io.flowhost.server.http;

import static org.assertj.core.api.Assertions.assertThat;

import io.netty.handler.codec.http.DefaultHttpRequest;
import io.netty.handler.codec.http.HttpMethod;
import io.netty.handler.codec.http.HttpRequest;
import io.netty.handler.codec.http.HttpVersion;
import org.junit.jupiter.api.Test;

/** Which requests are jars to write to disk as they come: deploys of anything but a JSON model. */
class EdgePartsTest {

    @Test
    void aJarIsAPostToDeploymentsWithAnyBodyButJson() {
        assertThat(EdgeParts.isJar(request(HttpMethod.POST, "/v1/deployments", "application/java-archive")))
                .isTrue();
        assertThat(EdgeParts.isJar(request(HttpMethod.POST, "/v1/deployments?class=a.B&set=x=1", null)))
                .isTrue();
        assertThat(EdgeParts.isJar(request(HttpMethod.POST, "/v1/deployments", "text/plain")))
                .as("told its type is wrong by the deploy, not refused for its size")
                .isTrue();

        assertThat(EdgeParts.isJar(request(HttpMethod.POST, "/v1/deployments", "Application/JSON; charset=utf-8")))
                .isFalse();
        assertThat(EdgeParts.isJar(request(HttpMethod.GET, "/v1/deployments", null)))
                .isFalse();
        assertThat(EdgeParts.isJar(request(HttpMethod.POST, "/v1/deployments/echo-v1", null)))
                .isFalse();
        assertThat(EdgeParts.isJar(request(HttpMethod.POST, "/v1/deploymentsx", null)))
                .isFalse();
        assertThat(EdgeParts.isJar(request(HttpMethod.POST, "/v1/services/echo/echo", "application/java-archive")))
                .isFalse();
    }

    private static HttpRequest request(HttpMethod method, String uri, String contentType) {
        var request = new DefaultHttpRequest(HttpVersion.HTTP_1_1, method, uri);
        if (contentType != null) {
            request.headers().set("Content-Type", contentType);
        }
        return request;
    }
}
