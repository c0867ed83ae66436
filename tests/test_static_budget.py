"""The vendored front end: small enough, self-contained, and accounted for in VERSIONS.json.

No database: these tests only read files. See docs/decisions/0005-vendored-front-end.md.
"""

from __future__ import annotations

import gzip
import json
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
STATIC = ROOT / "tansiq" / "core" / "static"
VENDOR = STATIC / "vendor"
E2E_VENDOR = ROOT / "tests" / "e2e" / "vendor"
VERSIONS = VENDOR / "VERSIONS.json"
LOCK = ROOT / "scripts" / "vendor" / "package-lock.json"

BUDGET = 120 * 1024  # bytes of gzip (level 9), CSS + JS a page ships, each file compressed on its own

PAGE_ASSETS = {
    "ltr": [
        "vendor/bootstrap/bootstrap.min.css",
        "vendor/bootstrap-icons/bootstrap-icons.min.css",
        "tansiq/app.css",
        "vendor/bootstrap/bootstrap.bundle.min.js",
        "vendor/htmx/htmx.min.js",
        "tansiq/app.js",
    ],
    "rtl": [
        "vendor/bootstrap/bootstrap.rtl.min.css",
        "vendor/bootstrap-icons/bootstrap-icons.min.css",
        "tansiq/app.css",
        "vendor/bootstrap/bootstrap.bundle.min.js",
        "vendor/htmx/htmx.min.js",
        "tansiq/app.js",
    ],
}

# Ways a stylesheet or script could make the browser fetch from another host.
EXTERNAL = [
    (re.compile(r"""url\(\s*['"]?\s*(?:https?:)?//""", re.I), "url() pointing at another host"),
    (re.compile(r"""@import\s+(?:url\(\s*)?['"]?\s*(?:https?:)?//""", re.I), "@import from another host"),
    (re.compile(r"//fonts\.", re.I), "a web-font service"),
    (re.compile(r"sourceMappingURL", re.I), "a sourceMappingURL comment (maps are not shipped)"),
]
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")


def gzip_size(path: Path) -> int:
    return len(gzip.compress(path.read_bytes(), compresslevel=9, mtime=0))


def vendored_files() -> set[str]:
    files = set()
    for base in (VENDOR, E2E_VENDOR):
        files |= {p.relative_to(ROOT).as_posix() for p in base.rglob("*") if p.is_file() and p != VERSIONS}
    return files


def versions() -> dict:
    assert VERSIONS.is_file(), f"{VERSIONS.relative_to(ROOT)} is missing: run `make vendor`"
    return json.loads(VERSIONS.read_text(encoding="utf-8"))


@pytest.mark.parametrize("direction", ["ltr", "rtl"])
def test_page_css_and_js_fit_the_budget(direction):
    sizes = {name: gzip_size(STATIC / name) for name in PAGE_ASSETS[direction]}
    total = sum(sizes.values())
    breakdown = "\n".join(f"  {size / 1024:7.1f} KB  {name}" for name, size in sizes.items())
    report = (
        f"{direction.upper()} page ships {total / 1024:.1f} KB of gzipped CSS+JS "
        f"({total} bytes; budget {BUDGET // 1024} KB):\n{breakdown}"
    )
    print(report)
    assert total <= BUDGET, f"over budget by {(total - BUDGET) / 1024:.1f} KB. {report}"


def test_vendored_css_and_js_load_nothing_from_another_host():
    checked = sorted(p for p in VENDOR.rglob("*") if p.suffix in (".css", ".js"))
    assert checked, "nothing vendored: run `make vendor`"
    problems = []
    for path in checked:
        text = path.read_text(encoding="utf-8")
        for pattern, what in EXTERNAL:
            for match in pattern.finditer(text):
                snippet = text[max(0, match.start() - 40) : match.end() + 40].replace("\n", " ")
                problems.append(f"{path.relative_to(ROOT)}: {what}: …{snippet}…")
    assert not problems, "\n".join(problems)


def test_every_stylesheet_url_is_a_file_we_ship():
    """url() in any of our stylesheets (vendored or not) names a file that exists, e.g. the fonts."""
    missing = []
    for css in sorted(STATIC.rglob("*.css")):
        for match in CSS_URL.finditer(css.read_text(encoding="utf-8")):
            target = match.group(2).strip()
            if target.startswith(("data:", "#")):
                continue
            local = css.parent / re.split(r"[?#]", target)[0]
            if not local.is_file():
                missing.append(f"{css.relative_to(ROOT)}: url({target})")
    assert not missing, "stylesheets refer to files that are not vendored:\n" + "\n".join(missing)


def test_versions_json_lists_every_vendored_file():
    listed = [f for package in versions()["packages"] for f in package["files"]]
    assert len(listed) == len(set(listed)), "VERSIONS.json lists a file twice"
    on_disk = vendored_files()
    unlisted = sorted(on_disk - set(listed))
    gone = sorted(set(listed) - on_disk)
    assert not unlisted, f"vendored but not in VERSIONS.json (run `make vendor`): {unlisted}"
    assert not gone, f"in VERSIONS.json but missing on disk (run `make vendor`): {gone}"


def test_versions_json_matches_the_lock():
    lock = json.loads(LOCK.read_text(encoding="utf-8"))["packages"]
    for package in versions()["packages"]:
        assert {"name", "version", "license", "integrity", "files"} <= package.keys(), package
        entry = lock.get(f"node_modules/{package['name']}")
        assert entry, f"{package['name']} is vendored but not in scripts/vendor/package-lock.json"
        assert (package["version"], package["integrity"]) == (entry["version"], entry["integrity"]), (
            f"{package['name']}: VERSIONS.json says {package['version']}, the lock says {entry['version']}; "
            "run `make vendor`"
        )
        assert any(Path(f).name.startswith("LICENSE") for f in package["files"]), (
            f"{package['name']}: no LICENSE vendored beside its files"
        )
