package io.flowhost.server.api;

import static io.flowhost.server.api.JsonResponses.ok;
import static io.flowhost.server.api.Routes.allow;

import io.flowhost.control.deploy.RolloutRequest;
import io.flowhost.control.rollout.Rollouts;
import io.flowhost.domain.deployment.Deployment;
import io.flowhost.domain.deployment.InvalidSettingsException;
import io.flowhost.domain.rollout.Rollout;
import io.flowhost.domain.rollout.Variant;
import io.flowhost.domain.settings.Durations;
import io.flowhost.server.observe.VersionNumbers;
import io.flowhost.wire.protocol.NoRouteException;
import io.netty.handler.codec.http.FullHttpResponse;
import io.netty.handler.codec.http.HttpMethod;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * {@code /v1/rollouts/{service}}: a service's rollout and its versions side by side ({@code GET}), and the steps a
 * person takes ({@code POST .../start?steps=10,50,100&bake=5m}, {@code .../pause}, {@code .../promote},
 * {@code .../rollback}).
 */
public final class RolloutsApi {

    static final String PREFIX = "/v1/rollouts/";

    /** One version in a rollout's status. */
    record VersionView(
            String deployment,
            String variant,
            int share,
            Map<String, String> runs,
            long calls,
            long errors,
            Double errorRate,
            Double p50Ms,
            Double p99Ms,
            Long compared,
            Double agreement,
            Long dropped) {}

    /** A rollout's status: where it stands, its plan, both versions side by side and every step taken. */
    record RolloutView(
            String service,
            String candidate,
            String variant,
            String state,
            int share,
            List<Integer> steps,
            String bake,
            Integer step,
            String since,
            Map<String, Object> guardrails,
            String routeKeyHeader,
            String window,
            List<VersionView> versions,
            List<StepView> history) {}

    /** One step of a rollout's history. */
    record StepView(String at, String action, int percent, String by, String reason) {
        static StepView of(Rollout.Step s) {
            return new StepView(s.at().toString(), s.action(), s.percent(), s.by(), s.reason());
        }
    }

    private final Rollouts rollouts;
    private final Function<String, VersionNumbers> numbers;

    public RolloutsApi(Rollouts rollouts, Function<String, VersionNumbers> numbers) {
        this.rollouts = rollouts;
        this.numbers = numbers;
    }

    static boolean owns(String path) {
        return path.startsWith(PREFIX) && path.length() > PREFIX.length();
    }

    FullHttpResponse handle(
            HttpMethod method, String path, Map<String, List<String>> query, String by, String requestId)
            throws InvalidSettingsException {
        var rest = path.substring(PREFIX.length());
        int slash = rest.indexOf('/');
        if (slash < 0) {
            allow(method, path, HttpMethod.GET);
            return ok(status(rest), requestId);
        }
        var service = rest.substring(0, slash);
        var step = rest.substring(slash + 1);
        allow(method, path, HttpMethod.POST);
        var who = by == null ? "local" : by;
        switch (step) {
            case "start" -> {
                var asked = RolloutRequest.forStart(last(query));
                rollouts.start(service, asked.plan(), asked.guardrails(), who);
            }
            case "pause" -> rollouts.pause(service, who);
            case "promote" -> rollouts.promote(service, who);
            case "rollback" -> rollouts.rollback(service, who);
            default ->
                throw new NoRouteException("no rollout step '" + step + "': POST " + PREFIX + service
                        + "/start, /pause, /promote or /rollback");
        }
        return ok(status(service), requestId);
    }

    private RolloutView status(String service) {
        var pair = rollouts.pair(service);
        var candidate = pair.candidate() != null
                ? pair.candidate()
                : rollouts.latest(service).orElse(null);
        var versions = new ArrayList<VersionView>();
        if (pair.primary() != null) {
            int share = pair.candidate() == null || pair.candidate().variant() != Variant.CANARY
                    ? 100
                    : 100 - pair.candidate().rollout().split().percent();
            versions.add(view(pair.primary(), share));
        }
        if (pair.candidate() != null) {
            versions.add(
                    view(pair.candidate(), pair.candidate().rollout().split().percent()));
        }
        if (candidate == null) {
            return new RolloutView(
                    service, null, null, null, 0, null, null, null, null, null, null, "5m", versions, List.of());
        }
        var r = candidate.rollout();
        var g = r.guardrails();
        var guardrails = new LinkedHashMap<String, Object>();
        guardrails.put("maxErrorRateIncrease", g.maxErrorRateIncrease());
        guardrails.put("maxP99Ratio", g.maxP99Ratio());
        guardrails.put("minCalls", g.minCalls());
        guardrails.put("window", Durations.format(Rollouts.WINDOW));
        return new RolloutView(
                service,
                candidate.id(),
                r.variant().label(),
                r.state().name().toLowerCase(Locale.ROOT),
                r.split().percent(),
                r.plan() == null
                        ? null
                        : r.plan().steps().stream().map(s -> s.percent()).toList(),
                r.plan() == null ? null : Durations.format(r.plan().bake()),
                r.plan() == null ? null : r.step(),
                r.since().toString(),
                guardrails,
                r.keyHeader(),
                "5m",
                versions,
                r.history().stream().map(StepView::of).toList());
    }

    private VersionView view(Deployment d, int share) {
        var n = numbers.apply(d.id());
        return new VersionView(
                d.id(),
                d.variant().label(),
                share,
                Views.DeploymentView.runs(d),
                n.calls(),
                n.errors(),
                n.calls() == 0 ? null : (double) n.errors() / n.calls(),
                n.p50Ms(),
                n.p99Ms(),
                n.compared(),
                n.compared() == null || n.compared() == 0 ? null : (double) n.agreed() / n.compared(),
                n.dropped());
    }

    private static Map<String, String> last(Map<String, List<String>> query) {
        var out = new LinkedHashMap<String, String>();
        query.forEach((k, v) -> out.put(k, v.getLast()));
        return out;
    }
}
