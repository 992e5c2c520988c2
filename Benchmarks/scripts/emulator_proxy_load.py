"""The proxy path beside the plain path (issue 22, item 1; Docs/Performance.md): the same client, the same call.

Usage (from the package root; any python3, no SDK needed):
    python3 Benchmarks/scripts/emulator_proxy_load.py [--emulator PATH] [--seconds 10] [--connections 4]

Starts the emulator with verified keys and 1,000 CVM instances, then for each path runs N client processes, each
on one keep-alive connection (and again with a new connection for every request), sending a TC3-signed
DescribeInstances of one instance back to back:
- plain: to 127.0.0.1:PORT, Host 127.0.0.1:PORT (what wrk measures in emulator_load.py);
- proxy: CONNECT cvm.tencentcloudapi.com:443 once per connection, TLS verified against the emulator's CA, then
  the same call with Host cvm.tencentcloudapi.com, as the SDK sends it with its default endpoint.
wrk cannot open a CONNECT tunnel, so both paths are measured by this client, and the ratio is the point.
Prints a Markdown table of requests per second and latency percentiles.
"""
import argparse
import multiprocessing
import os
import signal
import socket
import ssl
import subprocess
import sys
import tempfile
import time

sys.path.insert(0, os.path.dirname(__file__))
from emulator_load import KEY, SECRET, ROOT, free_port, tc3_request, wait_for  # noqa: E402

HOST = "cvm.tencentcloudapi.com"


def encode(method, path, headers, body):
    head = f"{method} {path} HTTP/1.1\r\n" + "".join(f"{k}: {v}\r\n" for k, v in headers.items())
    data = body.encode()
    return (head + f"Content-Length: {len(data)}\r\n\r\n").encode() + data


def read_answer(stream, buffer):
    """Reads one answer (Content-Length framed) from stream; returns (status, body, rest of buffer)."""
    while b"\r\n\r\n" not in buffer:
        chunk = stream.recv(65536)
        if not chunk:
            raise RuntimeError("connection closed")
        buffer += chunk
    head, _, rest = buffer.partition(b"\r\n\r\n")
    length = 0
    for line in head.split(b"\r\n")[1:]:
        name, _, value = line.partition(b":")
        if name.strip().lower() == b"content-length":
            length = int(value)
    while len(rest) < length:
        chunk = stream.recv(65536)
        if not chunk:
            raise RuntimeError("connection closed")
        rest += chunk
    return int(head.split(b" ", 2)[1]), rest[:length], rest[length:]


def open_stream(port, mode, context):
    sock = socket.create_connection(("127.0.0.1", port))
    sock.setsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY, 1)
    if mode == "plain":
        return sock
    sock.sendall(f"CONNECT {HOST}:443 HTTP/1.1\r\nHost: {HOST}:443\r\n\r\n".encode())
    status, _, _ = read_answer(sock, b"")
    assert status == 200, status
    return context.wrap_socket(sock, server_hostname=HOST)


def worker(port, mode, fresh, request, cafile, seconds, queue):
    """One client: on one keep-alive connection, or (fresh) a new connection (and tunnel) for every request."""
    context = ssl.create_default_context(cafile=cafile)
    stream = None if fresh else open_stream(port, mode, context)
    latencies, failures, buffer = [], 0, b""
    end = time.perf_counter() + seconds
    while (start := time.perf_counter()) < end:
        if fresh:
            stream, buffer = open_stream(port, mode, context), b""
        stream.sendall(request)
        status, _, buffer = read_answer(stream, buffer)
        latencies.append(time.perf_counter() - start)
        failures += status != 200
        if fresh:
            stream.close()
    if not fresh:
        stream.close()
    queue.put((latencies, failures))


def measure(port, mode, fresh, request, cafile, arguments):
    queue = multiprocessing.Queue()
    workers = [multiprocessing.Process(target=worker,
                                       args=(port, mode, fresh, request, cafile, arguments.seconds, queue))
               for _ in range(arguments.connections)]
    for process in workers:
        process.start()
    results = [queue.get() for _ in workers]
    for process in workers:
        process.join()
    latencies = sorted(value for values, _ in results for value in values)
    failures = sum(count for _, count in results)

    def percentile(p):
        return latencies[min(len(latencies) - 1, int(p / 100 * len(latencies)))] * 1000

    return len(latencies) / arguments.seconds, percentile(50), percentile(99), failures


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--emulator", default=os.path.join(ROOT, ".build", "release", "cloud-release-emulator"))
    parser.add_argument("--seconds", type=int, default=10)
    parser.add_argument("--connections", type=int, default=4)
    parser.add_argument("--instances", type=int, default=1000)
    arguments = parser.parse_args()
    port = free_port()
    with tempfile.TemporaryDirectory() as directory:
        process = subprocess.Popen([arguments.emulator, "--port", str(port), "--access-key", f"{KEY}:{SECRET}:load",
                                    "--ca-dir", os.path.join(directory, "ca")],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        try:
            wait_for(port)
            cafile = os.path.join(directory, "ca", "ca.pem")
            ids = []
            for _ in range(arguments.instances // 100):
                with socket.create_connection(("127.0.0.1", port)) as sock:
                    sock.sendall(encode(*tc3_request(port, "RunInstances", {"InstanceCount": 100})))
                    status, body, _ = read_answer(sock, b"")
                    assert status == 200, body
                    import json
                    ids += json.loads(body)["Response"]["InstanceIdSet"]
            payload = {"InstanceIds": [ids[0]]}
            plain = encode(*tc3_request(port, "DescribeInstances", payload))
            proxied = encode(*tc3_request(port, "DescribeInstances", payload, host=HOST))
            rows = [
                ("plain, keep-alive", measure(port, "plain", False, plain, cafile, arguments)),
                ("proxy (CONNECT + TLS), keep-alive", measure(port, "proxy", False, proxied, cafile, arguments)),
                ("plain, a connection per request", measure(port, "plain", True, plain, cafile, arguments)),
                ("proxy, a tunnel and handshake per request", measure(port, "proxy", True, proxied, cafile,
                                                                      arguments)),
            ]
        finally:
            process.send_signal(signal.SIGTERM)
            process.wait()
    print(f"{arguments.connections} connections, {arguments.seconds}s each, {arguments.instances} instances, "
          f"{os.cpu_count()} cores, loopback, DescribeInstances of one instance")
    print()
    print("| path | requests/s | p50 ms | p99 ms | non-2xx |")
    print("| --- | ---: | ---: | ---: | ---: |")
    for name, (rps, p50, p99, failures) in rows:
        print(f"| {name} | {rps:,.0f} | {p50:.2f} | {p99:.2f} | {failures} |")
    print()
    print(f"proxy p99 / plain p99: keep-alive {rows[1][1][2] / rows[0][1][2]:.2f}, "
          f"a connection per request {rows[3][1][2] / rows[2][1][2]:.2f}")


if __name__ == "__main__":
    main()
