package io.flowhost.server.api;

import io.flowhost.control.scaling.ScalingLoop;
import io.flowhost.domain.deployment.Deployment;
import io.flowhost.domain.instance.ColdStart;
import io.flowhost.domain.instance.InstanceInfo;
import io.flowhost.domain.rollout.Variant;
import io.flowhost.domain.service.ServiceDescriptor.EndpointDescriptor;
import io.flowhost.gateway.Traffic;
import io.flowhost.wire.protocol.Wire;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.TreeMap;

/** The JSON shapes of the management API. */
final class Views {

    private Views() {}

    record EndpointView(
            String name, String method, String path, String input, String output, String example, List<String> modes) {
        static EndpointView of(String service, EndpointDescriptor e) {
            return new EndpointView(
                    e.name(),
                    e.method(),
                    Wire.SERVICES_PREFIX + service + "/" + e.name(),
                    e.input(),
                    e.output(),
                    e.example().isEmpty() ? null : e.example(),
                    e.modes());
        }
    }

    record InstanceView(
            String id,
            String state,
            long pid,
            String address,
            String startedAt,
            Long coldStartMs,
            int inFlight,
            Map<String, Long> coldStartBreakdownMs) {
        static InstanceView of(InstanceInfo i) {
            return new InstanceView(
                    i.id(),
                    i.state().name().toLowerCase(Locale.ROOT),
                    i.pid(),
                    i.address(),
                    i.startedAt().toString(),
                    i.coldStart() == null ? null : i.coldStart().toMillis(),
                    i.inFlight(),
                    breakdown(i.breakdown()));
        }

        private static Map<String, Long> breakdown(ColdStart c) {
            if (c == null) {
                return null;
            }
            var out = new LinkedHashMap<String, Long>();
            c.parts().forEach(p -> out.put(p.key(), p.took().toMillis()));
            out.put("total", c.total().toMillis());
            return out;
        }
    }

    record DecisionView(String at, int desired, String reason, boolean panicking) {
        static DecisionView of(ScalingLoop.LastDecision d) {
            return d == null ? null : new DecisionView(d.at().toString(), d.desired(), d.reason(), d.panicking());
        }
    }

    record StatusView(
            String service,
            String deployment,
            Map<String, String> scaling,
            int inFlight,
            int held,
            String lastCall,
            DecisionView lastDecision,
            List<InstanceView> instances) {
        static StatusView of(Deployment d, List<InstanceInfo> all, Traffic traffic, ScalingLoop.LastDecision decision) {
            var instances = all.stream()
                    .filter(i -> i.deploymentId().equals(d.id()))
                    .map(InstanceView::of)
                    .toList();
            return new StatusView(
                    d.service(),
                    d.id(),
                    d.scaling().toMap(),
                    traffic == null ? 0 : traffic.inFlight(),
                    traffic == null ? 0 : traffic.held(),
                    traffic == null || traffic.lastArrival() == null
                            ? null
                            : traffic.lastArrival().toString(),
                    DecisionView.of(decision),
                    instances);
        }
    }

    record DeploymentView(
            String id,
            String service,
            int version,
            String state,
            String className,
            String jarSha256,
            String model,
            String createdAt,
            Map<String, String> settings,
            Map<String, String> runs,
            Map<String, String> scaling,
            Map<String, String> retention,
            Map<String, String> resources,
            Map<String, String> access,
            List<EndpointView> endpoints,
            List<InstanceView> instances,
            String variant,
            Integer share) {
        static DeploymentView of(Deployment d, List<InstanceInfo> all) {
            var endpoints = d.descriptor().endpoints().stream()
                    .map(e -> EndpointView.of(d.service(), e))
                    .toList();
            var instances = all.stream()
                    .filter(i -> i.deploymentId().equals(d.id()))
                    .map(InstanceView::of)
                    .toList();
            return new DeploymentView(
                    d.id(),
                    d.service(),
                    d.version(),
                    d.state().name().toLowerCase(Locale.ROOT),
                    d.servesOnnx() ? null : d.descriptor().className(),
                    d.servesOnnx() ? null : d.jarSha256(),
                    d.model(),
                    d.createdAt().toString(),
                    d.settings(),
                    runs(d),
                    d.scaling().toMap(),
                    d.retention().toMap(),
                    d.resources().toMap(),
                    d.access().toMap(),
                    endpoints,
                    instances,
                    d.variant().label(),
                    d.variant() == Variant.PRIMARY ? null : d.rollout().split().percent());
        }

        /** The runs it serves, as {@code Flow/run-id} by pin key ({@code IrisFlow} or {@code IrisFlow?tag=t}). */
        static Map<String, String> runs(Deployment d) {
            var runs = new TreeMap<String, String>();
            d.pins().forEach((key, run) -> {
                int query = key.indexOf('?');
                runs.put(key, (query < 0 ? key : key.substring(0, query)) + "/" + run);
            });
            return runs;
        }
    }

    record ServiceView(
            String name, String deployment, String url, List<EndpointView> endpoints, List<InstanceView> instances) {
        static ServiceView of(Deployment d, List<InstanceInfo> all) {
            var view = DeploymentView.of(d, all);
            return new ServiceView(
                    d.service(), d.id(), Wire.SERVICES_PREFIX + d.service(), view.endpoints(), view.instances());
        }
    }

    record Deployments(List<DeploymentView> deployments) {}

    record Services(List<ServiceView> services) {}
}
