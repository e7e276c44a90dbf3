package io.flowhost.server.api;

import io.flowhost.wire.netty.Responses;
import io.flowhost.wire.protocol.NoRouteException;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * A service's docs page ({@code /v1/services/{service}/docs}): Swagger UI, served from its published webjar inside the
 * server's own jar (no CDN), showing the service's OpenAPI document with its examples filled in, ready to try a call.
 */
final class DocsPage {

    /** Where the page's scripts and styles are served from. */
    static final String ASSETS = "/v1/docs/swagger-ui/";

    private static final Map<String, Asset> SERVED = Map.of(
            "swagger-ui-bundle.js", Asset.webjar("swagger-ui", "swagger-ui-bundle.js", Asset.JS),
            "swagger-ui.css", Asset.webjar("swagger-ui", "swagger-ui.css", Asset.CSS),
            "favicon-32x32.png", Asset.webjar("swagger-ui", "favicon-32x32.png", "image/png"));

    private DocsPage() {}

    /** The page of {@code service} (a service name: letters, digits, dashes; nothing to escape). */
    static FullHttpResponse page(String service, String requestId) {
        var html = """
                <!doctype html>
                <html lang="en">
                <head>
                  <meta charset="utf-8">
                  <title>%1$s · flowhost</title>
                  <link rel="icon" href="%2$sfavicon-32x32.png">
                  <link rel="stylesheet" href="%2$sswagger-ui.css">
                </head>
                <body>
                  <div id="docs"></div>
                  <script src="%2$sswagger-ui-bundle.js"></script>
                  <script>
                    window.ui = SwaggerUIBundle({
                      url: "/v1/services/%1$s/openapi.json",
                      dom_id: "#docs",
                      deepLinking: true,
                      tryItOutEnabled: true,
                      displayRequestDuration: true
                    });
                  </script>
                </body>
                </html>
                """.formatted(service, ASSETS);
        return Responses.response(
                200,
                "text/html; charset=utf-8",
                Unpooled.wrappedBuffer(html.getBytes(StandardCharsets.UTF_8)),
                requestId);
    }

    /** One of the page's assets, by its file name. */
    static FullHttpResponse asset(String file, String requestId) {
        var served = SERVED.get(file);
        if (served == null) {
            throw new NoRouteException("no docs asset '" + file + "'");
        }
        return served.answer(requestId);
    }
}
