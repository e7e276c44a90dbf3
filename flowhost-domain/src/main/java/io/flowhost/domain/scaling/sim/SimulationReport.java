package io.flowhost.domain.scaling.sim;

/**
 * What replaying a trace through the autoscaler cost and how callers fared. Times are in seconds.
 *
 * @param requests                calls in the trace
 * @param served                  calls an instance ran
 * @param failed                  calls held longer than hold-timeout, which got a 503
 * @param rejected                calls that found max-held calls already held, which got a 503 at once
 * @param delayed                 served calls that waited in the gateway at all
 * @param simulatedSeconds        from 0 to when the last call was done and the fleet was back to min-instances
 * @param instanceSeconds         what the instances cost: each from start to stop, cold start and draining included
 * @param baselineInstanceSeconds the same for max-instances running the whole time, the cost without autoscaling
 * @param coldStarts              instances started (those of min-instances, running at the start, are not counted)
 * @param peakInstances           the most instances alive at once, starting and draining included
 * @param peakHeld                the most calls held in the gateway at once
 * @param queueingP50             median time served calls waited in the gateway for an instance
 * @param queueingP99             99th percentile of that wait
 * @param queueingMax             the longest such wait
 * @param scalingChanges          decisions that changed the desired count
 * @param panics                  times the autoscaler entered panic mode
 * @param scaledToZero            times the deployment went down to zero instances
 * @param secondsAtZero           time spent with no instance at all
 */
public record SimulationReport(
        long requests,
        long served,
        long failed,
        long rejected,
        long delayed,
        double simulatedSeconds,
        double instanceSeconds,
        double baselineInstanceSeconds,
        long coldStarts,
        int peakInstances,
        int peakHeld,
        double queueingP50,
        double queueingP99,
        double queueingMax,
        long scalingChanges,
        long panics,
        long scaledToZero,
        double secondsAtZero) {

    /** The share of the baseline's instance-seconds that autoscaling saved, 0..1 (negative if it cost more). */
    public double savings() {
        return baselineInstanceSeconds == 0 ? 0 : 1 - instanceSeconds / baselineInstanceSeconds;
    }
}
