"""compose.yaml (the several-machines set-up for containers) cannot be run here (no container
engine), so its shape is checked: valid YAML in Compose's structure, the services the deployment
guide describes, and only variables Tansiq reads and documents."""

from __future__ import annotations

import re
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]


def _compose() -> dict:
    return yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))


def test_compose_describes_two_web_machines_a_worker_and_the_shared_services():
    compose = _compose()
    services = compose["services"]
    assert {"proxy", "web1", "web2", "worker", "postgres", "redis", "s3", "migrate"} <= set(services)
    for name in ("web1", "web2"):
        assert services[name]["command"] == ["tansiq", "serve"]
        assert "/healthz" in " ".join(services[name]["healthcheck"]["test"])
    assert services["worker"]["command"] == ["tansiq", "worker"]
    upstream = compose["configs"]["nginx"]["content"]
    assert "server web1:8000;" in upstream and "server web2:8000;" in upstream
    for name in ("web1", "web2", "worker", "migrate"):
        environment = services[name]["environment"]
        assert environment["TANSIQ_MODE"] == "production"
        assert environment["TANSIQ_DATABASE_URL"].startswith("postgres://")
        assert environment["TANSIQ_TASKS_URL"].startswith("redis://redis:")
        assert environment["TANSIQ_CACHE_URL"].startswith("redis://redis:")
        assert environment["TANSIQ_S3_BUCKET"] and environment["TANSIQ_S3_ENDPOINT_URL"] == "http://s3:9000"
        assert set(services[name]["secrets"]) <= set(compose["secrets"])
    # Only the proxy is reachable from outside.
    assert [name for name, service in services.items() if "ports" in service] == ["proxy"]


def test_every_tansiq_variable_in_compose_is_documented():
    documented = set(re.findall(r"`(TANSIQ_[A-Z0-9_]+)`", (ROOT / "docs/configuration.md").read_text()))
    used = set()
    for service in _compose()["services"].values():
        used |= {name for name in service.get("environment", {}) if name.startswith("TANSIQ_")}
    # TANSIQ_X_FILE is the documented TANSIQ_X read from a file.
    undocumented = {name for name in used if name.removesuffix("_FILE") not in documented}
    assert used and not undocumented
