"""Time to the first chunk of a streamed answer, over one kept-alive connection per target, for bench/streaming.sh.

Usage: first-chunk.py CALLS ROUNDS BODY HOST:PORT... ; the targets take turns, CALLS calls each per round. Each call
sends BODY to /v1/services/streams/stream, times the arrival of the first chunk of the body (the head comes before it
and is not counted as an answer), then reads the rest. Prints one line per target: its p50 and p90 in ms.
"""
import os
import socket
import sys
import time


PATH = "/v1/services/streams/stream"


def connect(target):
    host, port = target.rsplit(":", 1)
    s = socket.create_connection((host, int(port)))
    s.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    return s, s.makefile("rb", buffering=65536)


def call(conn, body):
    s, f = conn
    request = (
        "POST " + PATH + " HTTP/1.1\r\nHost: bench\r\nContent-Type: application/json\r\n"
        "Content-Length: %d\r\n\r\n" % len(body)
    ).encode() + body
    start = time.perf_counter_ns()
    s.sendall(request)
    status = f.readline()
    if b" 200 " not in status:
        raise SystemExit("answered %r" % status)
    length = None
    while True:
        line = f.readline()
        if line in (b"\r\n", b""):
            break
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":")[1])
    if length is not None:  # an answer sent whole (to compare a stream's first chunk with)
        f.read(length)
        return time.perf_counter_ns() - start
    first = None
    while True:
        size = int(f.readline().split(b";")[0], 16)
        if size == 0:
            f.readline()
            return first
        f.read(size)
        f.readline()
        if first is None:
            first = time.perf_counter_ns() - start


def main():
    calls, rounds, body = int(sys.argv[1]), int(sys.argv[2]), sys.argv[3].encode()
    targets = sys.argv[4:]
    global PATH
    PATH = os.environ.get("STREAM_PATH", PATH)
    conns = {t: connect(t) for t in targets}
    times = {t: [] for t in targets}
    for _ in range(rounds):
        for t in targets:
            for _ in range(calls):
                times[t].append(call(conns[t], body))
    for t in targets:
        ns = sorted(times[t])
        print("%s %.3f %.3f" % (t, ns[len(ns) // 2] / 1e6, ns[len(ns) * 9 // 10] / 1e6))


main()
