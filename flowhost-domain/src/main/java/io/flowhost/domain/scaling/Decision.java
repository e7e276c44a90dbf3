package io.flowhost.domain.scaling;

/**
 * One decision: how many instances should run, why, and the memory for the next one.
 *
 * @param desired   how many instances should be ready or starting
 * @param reason    one line a human reads in {@code flowhost status}, e.g.
 *                  {@code stable: 3.2 avg over 60s / target 4 -> 1 (holding 2 for scale-down-delay 30s)}
 * @param panicking whether the autoscaler is in panic mode (it will not scale down)
 * @param next      what to pass to the next decision
 */
public record Decision(int desired, String reason, boolean panicking, ScaleState next) {}
