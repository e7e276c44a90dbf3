#!/usr/bin/env python3
"""Writes the request traces that `flowhost simulate` replays: diurnal.csv and spiky.csv.

Deterministic (fixed seeds, standard library only): run `python3 bench/traces/generate.py` from the
repository root to regenerate byte-identical files. Each line is `arrival_seconds,duration_seconds`.
"""
import math
import os
import random

HERE = os.path.dirname(os.path.abspath(__file__))


def poisson(rng, rate_at, start, end, peak_rate):
    """Arrivals of a Poisson process with a time-varying rate, by thinning a process at the peak rate."""
    t = start
    while True:
        t += rng.expovariate(peak_rate)
        if t >= end:
            return
        if rng.random() < rate_at(t) / peak_rate:
            yield t


def write(name, header, calls):
    calls.sort()
    with open(os.path.join(HERE, name), "w", newline="\n") as out:
        for line in header:
            out.write("# " + line + "\n")
        out.write("arrival_seconds,duration_seconds\n")
        for arrival, duration in calls:
            out.write("%.3f,%.3f\n" % (arrival, duration))
    print("%s: %d calls" % (name, len(calls)))


def diurnal():
    """A day compressed into 4 hours (1 hour of the day = 10 minutes): quiet night, a smooth sine-shaped day."""
    rng = random.Random(20240604)
    hour = 600.0
    peak = 14.0  # calls per second at mid-afternoon
    day_start, day_end = 6 * hour, 22 * hour

    def rate(t):
        if t < day_start or t >= day_end:
            return 0.0
        return peak * math.sin(math.pi * (t - day_start) / (day_end - day_start)) ** 2

    calls = [(t, rng.lognormvariate(math.log(0.6), 0.5)) for t in poisson(rng, rate, 0, 24 * hour, peak)]
    # A few night owls: each wakes the deployment from zero and pays a cold start.
    calls += [(t, rng.lognormvariate(math.log(0.6), 0.5)) for t in (2.5 * hour, 4 * hour, 23.2 * hour)]
    write("diurnal.csv", [
        "A day compressed into 4 hours (10 min per hour): no calls from 22:00 to 06:00 but three night owls,",
        "then a sine-shaped day peaking at 14 calls/s at 14:00; calls last 0.6 s (median, lognormal sigma 0.5).",
        "Regenerate: python3 bench/traces/generate.py",
    ], calls)


def spiky():
    """One hour of a trickle (0.5 calls/s) with sudden bursts, and a quiet spell so one burst hits a cold service."""
    rng = random.Random(20240605)
    base = 0.5
    bursts = []
    for start in (300, 620, 1000, 1390, 2520, 2900, 3300):
        bursts.append((start + rng.uniform(0, 60), rng.uniform(10, 45), rng.uniform(20, 80)))
    quiet = (1800.0, bursts[4][0])  # over 12 minutes without a call, then a burst: it finds the service at zero

    calls = []
    for t in poisson(rng, lambda t: 0.0 if quiet[0] <= t < quiet[1] else base, 0, 3600, base):
        calls.append((t, rng.lognormvariate(math.log(0.2), 0.5)))
    for start, length, rate in bursts:
        for t in poisson(rng, lambda t: rate, start, start + length, rate):
            calls.append((t, rng.lognormvariate(math.log(0.4), 0.5)))
    write("spiky.csv", [
        "One hour: a trickle of 0.5 calls/s (0.2 s each) with 7 bursts of 10-45 s at 20-80 calls/s (0.4 s each);",
        "no calls from 30:00 until the burst after 42:00, which finds the service at zero.",
        "Regenerate: python3 bench/traces/generate.py",
    ], calls)


if __name__ == "__main__":
    diurnal()
    spiky()
