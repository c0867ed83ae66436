"""Concurrent HTTP clients that read the server's own timing of each response.

Every response of Tansiq carries ``Server-Timing: app;dur=<ms>, db;desc="<n> queries"``
(tansiq.core.middleware.ServerTimingMiddleware): the time Django spent on the request and the
number of database queries it ran. The clients record that, and the latency they observed
themselves (which adds the network, gunicorn and the wait for a free worker).
"""

from __future__ import annotations

import http.client
import re
import threading
import time
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

_APP = re.compile(r"\bapp;dur=([0-9.]+)")
_QUERIES = re.compile(r'\bdb;desc="(\d+) queries"')


@dataclass
class Sample:
    status: int
    server_ms: float | None
    queries: int | None
    client_ms: float
    size: int


@dataclass
class Load:
    samples: list[Sample] = field(default_factory=list)
    failures: list[str] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def ok(self) -> list[Sample]:
        return [s for s in self.samples if s.status == 200]


class _Client:
    """One browser-like visitor: one connection it keeps (and re-opens when the server closes it),
    the cookies the server set, the headers a browser sends."""

    def __init__(self, base_url: str, language: str, cookies: dict[str, str] | None = None):
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname, parts.port
        self.cookies: SimpleCookie = SimpleCookie()
        for name, value in (cookies or {}).items():  # a signed-in visitor's session
            self.cookies[name] = value
        self.language = language
        self.connection = http.client.HTTPConnection(self.host, self.port, timeout=60)

    def get(self, path: str) -> Sample:
        headers = {
            "Accept": "text/html,application/xhtml+xml",
            "Accept-Language": self.language,
            "User-Agent": "tansiq-benchmark",
            "Connection": "keep-alive",
        }
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={m.value}" for k, m in self.cookies.items())
        started = time.perf_counter()
        try:
            self.connection.request("GET", path, headers=headers)
            response = self.connection.getresponse()
            body = response.read()
        except (OSError, http.client.HTTPException):
            self.connection.close()  # the next request opens a new connection
            raise
        client_ms = (time.perf_counter() - started) * 1000
        for value in response.headers.get_all("Set-Cookie") or []:
            self.cookies.load(value)
        if response.will_close:
            self.connection.close()
        timing = response.headers.get("Server-Timing", "")
        app, queries = _APP.search(timing), _QUERIES.search(timing)
        return Sample(
            status=response.status,
            server_ms=float(app.group(1)) if app else None,
            queries=int(queries.group(1)) if queries else None,
            client_ms=client_ms,
            size=len(body),
        )

    def close(self) -> None:
        self.connection.close()


def run_clients(
    base_url: str,
    path: str,
    *,
    clients: int,
    requests: int,
    max_seconds: float,
    language: str = "ar",
    cookies: dict[str, str] | None = None,
) -> Load:
    """``clients`` threads request ``path`` until ``requests`` responses in all or ``max_seconds``.

    ``cookies``: sent by every client from the first request (a session, for pages behind sign-in).
    """
    load = Load()
    lock = threading.Lock()
    issued = 0
    start = threading.Barrier(clients + 1)
    deadline = [0.0]

    def take() -> bool:
        nonlocal issued
        with lock:
            if issued >= requests or time.perf_counter() >= deadline[0]:
                return False
            issued += 1
            return True

    def client() -> None:
        visitor = _Client(base_url, language, cookies)
        start.wait()
        try:
            while take():
                try:
                    sample = visitor.get(path)
                except (OSError, http.client.HTTPException) as exc:
                    with lock:
                        load.failures.append(f"{exc.__class__.__name__}: {exc}")
                    continue
                with lock:
                    load.samples.append(sample)
        finally:
            visitor.close()

    threads = [threading.Thread(target=client, name=f"client-{i}", daemon=True) for i in range(clients)]
    for thread in threads:
        thread.start()
    began = time.perf_counter()
    deadline[0] = began + max_seconds
    start.wait()
    for thread in threads:
        thread.join()
    load.seconds = time.perf_counter() - began
    return load
