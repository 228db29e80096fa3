"""Talking to a server on 127.0.0.1: a free port, and a GET that never raises (the serve tests
and bench/bench_serve.py poll with it while the server starts or rebuilds)."""
from __future__ import annotations

import http.client
import socket


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def get(port: int, path: str, timeout: float = 5) -> tuple[int, str]:
    """(status, body); (0, "") while nothing answers."""
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=timeout)
    try:
        conn.request("GET", path)
        response = conn.getresponse()
        return response.status, response.read().decode("utf-8", "replace")
    except OSError:
        return 0, ""
    finally:
        conn.close()
