"""The memory attacks of bench/hostile.sh: each sends what a hostile caller would and samples the
server's resident memory (VmRSS from /proc) every 50 ms while it does, then prints one JSON line.

  python3 hostile.py chunked   PORT SERVER_PID MIB          one chunked body of MIB MiB to an endpoint
  python3 hostile.py held      PORT SERVER_PID CALLS MIB    CALLS concurrent calls of MIB MiB, all held
  python3 hostile.py pipelined PORT SERVER_PID CALLS MIB    CALLS calls of MIB MiB pipelined on one connection
"""
import json, socket, sys, threading, time

def rss_kib(pid):
    with open(f"/proc/{pid}/status") as f:
        for line in f:
            if line.startswith("VmRSS:"):
                return int(line.split()[1])
    return 0

class Sampler(threading.Thread):
    def __init__(self, pid):
        super().__init__(daemon=True)
        self.pid, self.peak, self.running = pid, 0, True
    def run(self):
        while self.running:
            self.peak = max(self.peak, rss_kib(self.pid))
            time.sleep(0.05)

def status_of(sock, timeout=60):
    sock.settimeout(timeout)
    data = b""
    try:
        while b"\r\n" not in data:
            chunk = sock.recv(4096)
            if not chunk:
                return None
            data += chunk
    except OSError:
        return None
    return int(data.split(b" ")[1])

def body(mib):
    pad = b"x" * (mib * 1024 * 1024)
    return b'{"ms": 1, "pad": "' + pad + b'"}'

def head(length, extra=""):
    return (f"POST /v1/services/sleepy/sleep HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
            f"{extra}Content-Length: {length}\r\n\r\n").encode()

def chunked(port, mib):
    sock = socket.create_connection(("127.0.0.1", port))
    sock.sendall(b"POST /v1/services/sleepy/sleep HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n"
                 b"Transfer-Encoding: chunked\r\n\r\n")
    piece = b"x" * (1024 * 1024)
    sent = 0
    try:
        for _ in range(mib):
            sock.sendall(b"%x\r\n" % len(piece) + piece + b"\r\n")
            sent += 1
        sock.sendall(b"0\r\n\r\n")
    except OSError:
        pass  # the server stopped reading: it answered already
    status = status_of(sock)
    sock.close()
    return {"status": status, "mib_sent": sent}

def held(port, calls, mib):
    payload = body(mib)
    answers, socks = [], []
    def one():
        s = socket.create_connection(("127.0.0.1", port))
        socks.append(s)
        try:
            s.sendall(head(len(payload)) + payload)
        except OSError:
            pass
        # A refused call is answered at once; a held one is still waiting when this gives up.
        answers.append(status_of(s, timeout=3) or "held")
    threads = [threading.Thread(target=one) for _ in range(calls)]
    for t in threads: t.start()
    for t in threads: t.join()
    counts = {str(a): answers.count(a) for a in sorted(set(answers), key=str)}
    return {"answers": counts, "socks": socks}

def pipelined(port, calls, mib):
    payload = body(mib)
    sock = socket.create_connection(("127.0.0.1", port))
    sock.settimeout(20)
    sent = 0
    try:
        for _ in range(calls):
            sock.sendall(head(len(payload)) + payload)
            sent += 1
    except OSError:
        pass  # not read any more: backpressure
    return {"calls_sent": sent, "sock": sock}

def main():
    attack, port, pid = sys.argv[1], int(sys.argv[2]), int(sys.argv[3])
    before = rss_kib(pid)
    sampler = Sampler(pid); sampler.start()
    started = time.time()
    if attack == "chunked":
        result = chunked(port, int(sys.argv[4]))
    elif attack == "held":
        result = held(port, int(sys.argv[4]), int(sys.argv[5]))
    else:
        result = pipelined(port, int(sys.argv[4]), int(sys.argv[5]))
    time.sleep(1)
    sampler.running = False; sampler.join()
    for key in ("socks", "sock"):
        if key in result:
            things = result.pop(key)
            for s in (things if isinstance(things, list) else [things]):
                s.close()
    result.update(attack=attack, rss_before_mib=round(before / 1024, 1), rss_peak_mib=round(sampler.peak / 1024, 1),
                  rss_added_mib=round((sampler.peak - before) / 1024, 1), seconds=round(time.time() - started, 1))
    print(json.dumps(result))

main()
