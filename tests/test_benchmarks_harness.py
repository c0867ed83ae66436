"""The benchmark harness's own logic: verdicts of floors, reading wrk's report, a server's readiness."""

import json

import pytest

from benchmarks import _site, throughput
from benchmarks._harness import MISSED, OK, BenchmarkError, Result

WRK = """Running 10s test @ http://127.0.0.1:4000/ar/floor/
  2 threads and 8 connections
  Thread Stats   Avg      Stdev     Max   +/- Stdev
    Latency    11.21ms    3.02ms  40.11ms   80.00%
    Req/Sec   357.12     40.33   450.00     70.00%
  7141 requests in 10.01s, 40.12MB read
Requests/sec:    713.40
Transfer/sec:      4.01MB
"""


def test_a_floor_budget_passes_at_or_above_it():
    assert Result.measured("share", "sqlite", 50.0, "%", 50.0, at_least=True).verdict == OK
    assert Result.measured("share", "sqlite", 49.9, "%", 50.0, at_least=True).verdict == MISSED
    assert Result.measured("time", "sqlite", 49.9, "ms", 50.0).verdict == OK
    assert Result.measured("time", "sqlite", 50.1, "ms", 50.0).verdict == MISSED


def test_wrk_report_is_read_and_errors_are_refused():
    assert throughput.parse_wrk(WRK, "/ar/floor/") == (713.40, 7141)
    with pytest.raises(BenchmarkError, match="Non-2xx"):
        throughput.parse_wrk(WRK.replace("Requests/sec", "  Non-2xx or 3xx responses: 12\nRequests/sec"), "/")
    with pytest.raises(BenchmarkError, match="Socket errors"):
        throughput.parse_wrk(WRK.replace("Requests/sec", "  Socket errors: connect 8, read 0\nRequests/sec"), "/")
    with pytest.raises(BenchmarkError, match="no figures"):
        throughput.parse_wrk("unable to connect", "/")


def _health(**checks) -> bytes:
    return json.dumps({"status": "error", "checks": {name: {"ok": ok} for name, ok in checks.items()}}).encode()


def test_a_server_without_a_task_worker_is_ready_but_not_one_with_a_broken_database():
    assert _site._serving_without_worker(503, _health(database=True, worker=False, tasks=True, disk=True))
    assert not _site._serving_without_worker(503, _health(database=False, worker=False, disk=True))
    assert not _site._serving_without_worker(503, _health(database=True, worker=False, disk=False))
    assert not _site._serving_without_worker(500, _health(database=True, worker=False))
    assert not _site._serving_without_worker(503, b"<html>Service Unavailable</html>")
