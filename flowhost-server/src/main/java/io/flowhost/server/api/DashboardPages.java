package io.flowhost.server.api;

import io.flowhost.wire.netty.Responses;
import io.flowhost.wire.protocol.NoRouteException;
import io.netty.buffer.Unpooled;
import io.netty.handler.codec.http.FullHttpResponse;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.regex.Pattern;

/**
 * The dashboard's pages at {@code /ui}: each is the same small shell naming its page, and {@code ui.js} draws it from
 * the management API with the caller's token (so the dashboard shows exactly what the API says, and asks for exactly
 * what the API asks), charts by uPlot from its published webjar, all served from the server's own jar: no CDN, no
 * build step.
 */
final class DashboardPages {

    static final String ROOT = "/ui";
    private static final String ASSETS = ROOT + "/assets/";
    private static final String DEPLOYMENT = ROOT + "/deployments/";
    private static final Pattern DEPLOYMENT_ID = Pattern.compile("[a-z0-9][-a-z0-9]{0,80}");

    /** The pages other than one deployment's, by path: their name for ui.js and their title. */
    private static final Map<String, String[]> PAGES = Map.of(
            ROOT,
            new String[] {"deployments", "Deployments"},
            ROOT + "/",
            new String[] {"deployments", "Deployments"},
            ROOT + "/queue",
            new String[] {"queue", "Async queue"},
            ROOT + "/alerts",
            new String[] {"alerts", "Alerts"},
            ROOT + "/log",
            new String[] {"log", "Request log"});

    /** The assets by file name. */
    private static final Map<String, Asset> SERVED = Map.of(
            "ui.js", Asset.own("io/flowhost/server/ui/ui.js", Asset.JS),
            "ui.css", Asset.own("io/flowhost/server/ui/ui.css", Asset.CSS),
            "uPlot.iife.min.js", Asset.webjar("uplot", "dist/uPlot.iife.min.js", Asset.JS),
            "uPlot.min.css", Asset.webjar("uplot", "dist/uPlot.min.css", Asset.CSS));

    private DashboardPages() {}

    static boolean owns(String path) {
        return path.equals(ROOT) || path.startsWith(ROOT + "/");
    }

    /** The page or asset at {@code path}. */
    static FullHttpResponse answer(String path, String requestId) {
        if (path.startsWith(ASSETS)) {
            return asset(path.substring(ASSETS.length()), requestId);
        }
        var page = PAGES.get(path);
        if (page != null) {
            return shell(page[0], page[1], "", requestId);
        }
        if (path.startsWith(DEPLOYMENT)
                && DEPLOYMENT_ID.matcher(path.substring(DEPLOYMENT.length())).matches()) {
            var id = path.substring(DEPLOYMENT.length());
            return shell("deployment", id, id, requestId);
        }
        throw new NoRouteException("no dashboard page " + path + "; the dashboard starts at " + ROOT);
    }

    /** {@code id} is empty or a deployment id (letters, digits, dashes): nothing in the page needs escaping. */
    private static FullHttpResponse shell(String page, String title, String id, String requestId) {
        var html = """
                <!doctype html>
                <html lang="en">
                <head>
                  <meta charset="utf-8">
                  <meta name="viewport" content="width=device-width, initial-scale=1">
                  <title>%2$s · flowhost</title>
                  <link rel="icon" href="data:,">
                  <link rel="stylesheet" href="%4$suPlot.min.css">
                  <link rel="stylesheet" href="%4$sui.css">
                </head>
                <body data-page="%1$s" data-id="%3$s">
                  <header>
                    <a class="brand" href="/ui">flowhost</a>
                    <nav>
                      <a href="/ui" data-nav="deployments">Deployments</a>
                      <a href="/ui/queue" data-nav="queue">Async queue</a>
                      <a href="/ui/alerts" data-nav="alerts">Alerts</a>
                      <a href="/ui/log" data-nav="log">Request log</a>
                    </nav>
                    <span id="who"></span>
                    <span id="live" title="the page refreshes itself every 2 s"></span>
                  </header>
                  <main id="page"><p class="muted">Loading…</p></main>
                  <script src="%4$suPlot.iife.min.js"></script>
                  <script src="%4$sui.js"></script>
                </body>
                </html>
                """.formatted(page, title, id, ASSETS);
        var response = Responses.response(
                200,
                "text/html; charset=utf-8",
                Unpooled.wrappedBuffer(html.getBytes(StandardCharsets.UTF_8)),
                requestId);
        response.headers().set("Cache-Control", "no-cache");
        // scripts from the server only, and no framing: a page elsewhere cannot dress up the undeploy button
        response.headers()
                .set(
                        "Content-Security-Policy",
                        "default-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:;"
                                + " frame-ancestors 'none'");
        response.headers().set("X-Content-Type-Options", "nosniff");
        return response;
    }

    private static FullHttpResponse asset(String file, String requestId) {
        var served = SERVED.get(file);
        if (served == null) {
            throw new NoRouteException("no dashboard asset '" + file + "'");
        }
        return served.answer(requestId);
    }
}
