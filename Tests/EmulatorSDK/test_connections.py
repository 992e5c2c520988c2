"""Connection hygiene of cloud-release-emulator's HTTP server, with raw sockets (no SDK hides what is sent).

Every answer is a well-formed HTTP/1.1 response with a length; a connection the server says it closes is
closed; a body announced too large is refused before it is sent; idle and surplus connections are bounded.
"""
import socket
import time

import pytest

from conftest import Emulator


def connect(emulator, timeout=5.0):
    sock = socket.create_connection(("127.0.0.1", emulator.port), timeout=timeout)
    sock.settimeout(timeout)
    return sock


def read_response(sock):
    """Reads one response: (status, headers as a lower-case dict, body). Raises if it has no length."""
    data = b""
    while b"\r\n\r\n" not in data:
        chunk = sock.recv(65536)
        if not chunk:
            raise ConnectionError(f"closed before a full head: {data!r}")
        data += chunk
    head, _, rest = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    if status == 100:
        return status, headers, rest
    assert "content-length" in headers, f"an answer without a length: {head!r}"
    length = int(headers["content-length"])
    while len(rest) < length:
        chunk = sock.recv(65536)
        if not chunk:
            break
        rest += chunk
    return status, headers, rest[:length]


def closed_by_server(sock, within=5.0):
    """True when the server closes the connection (EOF or reset) within `within` seconds."""
    sock.settimeout(within)
    try:
        return sock.recv(1) == b""
    except ConnectionResetError:
        return True
    except socket.timeout:
        return False


def test_protocol_error_answers_400_and_closes(emulator):
    sock = connect(emulator)
    sock.sendall(b"GET / HTTP/1.1\r\nHost: x\r\nContent-Length: nope\r\n\r\n")
    status, headers, _ = read_response(sock)
    assert status == 400
    assert headers.get("connection") == "close"
    assert closed_by_server(sock)


def test_connect_to_another_host_is_refused_with_a_length_and_closed(emulator):
    """CONNECT to an API host opens a tunnel (test_proxy.py); to any other host it is refused, never forwarded."""
    sock = connect(emulator)
    sock.sendall(b"CONNECT example.com:443 HTTP/1.1\r\nHost: example.com:443\r\n\r\n")
    status, headers, body = read_response(sock)
    assert status == 403
    assert headers.get("connection") == "close"
    assert b"ProxyRefused" in body
    assert closed_by_server(sock)


def test_head_runs_no_action(emulator):
    sock = connect(emulator)
    sock.sendall(b"HEAD /?Action=RunInstances&Version=2014-05-26&AccessKeyId=x HTTP/1.1\r\nHost: x\r\n\r\n")
    data = b""
    while b"\r\n\r\n" not in data:
        data += sock.recv(4096)
    assert data.split()[1] == b"405"
    assert emulator.control("GET", "instances")[1]["instances"] == []


def test_a_body_announced_too_large_is_refused_before_it_is_sent(emulator):
    sock = connect(emulator)
    sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 104857600\r\n\r\n")
    started = time.monotonic()
    status, headers, body = read_response(sock)
    assert status == 413
    assert headers.get("connection") == "close"
    assert b"RequestEntityTooLarge" in body
    assert time.monotonic() - started < 5
    assert closed_by_server(sock)


def test_expect_100_continue_is_answered(emulator):
    sock = connect(emulator)
    body = b'{"advance": 0}'
    sock.sendall(b"POST /_cloudrelease/clock HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 b"Expect: 100-continue\r\nContent-Length: " + str(len(body)).encode() + b"\r\n\r\n")
    status, _, _ = read_response(sock)
    assert status == 100
    sock.sendall(body)
    status, _, answer = read_response(sock)
    assert status == 200
    assert b'"now"' in answer


def test_expect_100_continue_with_a_body_too_large_gets_413_not_100(emulator):
    sock = connect(emulator)
    sock.sendall(b"POST / HTTP/1.1\r\nHost: x\r\nExpect: 100-continue\r\nContent-Length: 999999999\r\n\r\n")
    status, _, _ = read_response(sock)
    assert status == 413


@pytest.fixture
def strict_emulator():
    emulator = Emulator("--idle-timeout", "1", "--max-connections", "8")
    yield emulator
    emulator.stop()


def test_idle_keep_alive_connections_time_out(strict_emulator):
    sock = connect(strict_emulator)
    sock.sendall(b"GET /_cloudrelease/clock HTTP/1.1\r\nHost: x\r\n\r\n")
    status, _, _ = read_response(sock)
    assert status == 200
    assert closed_by_server(sock, within=5.0)


def test_connections_past_the_bound_are_closed_and_new_ones_served_once_others_close(strict_emulator):
    held = [connect(strict_emulator) for _ in range(8)]
    time.sleep(0.2)
    surplus = connect(strict_emulator)
    assert closed_by_server(surplus, within=3.0)
    for sock in held:
        sock.close()
    time.sleep(0.3)
    sock = connect(strict_emulator)
    sock.sendall(b"GET /_cloudrelease/clock HTTP/1.1\r\nHost: x\r\n\r\n")
    status, _, _ = read_response(sock)
    assert status == 200


def test_a_request_that_stalls_after_its_head_gets_408_and_is_closed(strict_emulator):
    sock = connect(strict_emulator)
    sock.sendall(b"POST /_cloudrelease/clock HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\n"
                 b"Content-Length: 100\r\n\r\n{")
    status, headers, body = read_response(sock)
    assert status == 408
    assert headers.get("connection") == "close"
    assert closed_by_server(sock, within=5.0)


def test_an_injected_latency_longer_than_the_idle_timeout_is_still_answered(strict_emulator):
    status, _ = strict_emulator.control("POST", "faults", {"fault": "latency", "latencyMilliseconds": 2500, "count": 1,
                                                            "action": "DescribeInstances"})
    assert status == 200
    from conftest import tencent
    from sdk import cvm
    assert cvm(tencent(strict_emulator), "DescribeInstances")["TotalCount"] == 0
