#!/usr/bin/env python3
"""Copy Tansiq's front-end files from npm packages into the repository.

Usage: ``python3 scripts/vendor.py`` (or ``make vendor``).

The exact versions live in ``scripts/vendor/package-lock.json``. This script installs that lock
with ``npm ci --ignore-scripts`` in a temporary directory (npm checks every tarball against the
integrity hash in the lock), copies the few files Tansiq serves into ``tansiq/core/static/vendor``
(and axe-core, used only by the browser tests, into ``tests/e2e/vendor``), strips the
``sourceMappingURL`` comments (maps are not shipped) and writes
``tansiq/core/static/vendor/VERSIONS.json``. The result is committed: nothing is fetched when
Tansiq is installed, built or served.

Re-running it replaces the files; files listed in the previous VERSIONS.json that are no longer
vendored are removed. Python standard library only.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
LOCK_DIR = ROOT / "scripts" / "vendor"
STATIC_VENDOR = "tansiq/core/static/vendor"
E2E_VENDOR = "tests/e2e/vendor"
VERSIONS = ROOT / STATIC_VENDOR / "VERSIONS.json"
MIN_NPM_MAJOR = 7  # first npm that reads lockfileVersion 2/3

# package name -> [(path inside the package, destination relative to the repository root)]
FILES: dict[str, list[tuple[str, str]]] = {
    "bootstrap": [
        ("dist/css/bootstrap.min.css", f"{STATIC_VENDOR}/bootstrap/bootstrap.min.css"),
        ("dist/css/bootstrap.rtl.min.css", f"{STATIC_VENDOR}/bootstrap/bootstrap.rtl.min.css"),
        ("dist/js/bootstrap.bundle.min.js", f"{STATIC_VENDOR}/bootstrap/bootstrap.bundle.min.js"),
        ("LICENSE", f"{STATIC_VENDOR}/bootstrap/LICENSE"),
    ],
    "bootstrap-icons": [
        ("font/bootstrap-icons.min.css", f"{STATIC_VENDOR}/bootstrap-icons/bootstrap-icons.min.css"),
        ("font/fonts/bootstrap-icons.woff2", f"{STATIC_VENDOR}/bootstrap-icons/fonts/bootstrap-icons.woff2"),
        ("font/fonts/bootstrap-icons.woff", f"{STATIC_VENDOR}/bootstrap-icons/fonts/bootstrap-icons.woff"),
        ("LICENSE", f"{STATIC_VENDOR}/bootstrap-icons/LICENSE"),
    ],
    "htmx.org": [
        ("dist/htmx.min.js", f"{STATIC_VENDOR}/htmx/htmx.min.js"),
        ("LICENSE", f"{STATIC_VENDOR}/htmx/LICENSE"),
    ],
    # Only the Arabic subset: Latin text uses the system font. tansiq/app.css names these files.
    "@fontsource/noto-sans-arabic": [
        (
            "files/noto-sans-arabic-arabic-400-normal.woff2",
            f"{STATIC_VENDOR}/fonts/noto-sans-arabic-arabic-400-normal.woff2",
        ),
        (
            "files/noto-sans-arabic-arabic-700-normal.woff2",
            f"{STATIC_VENDOR}/fonts/noto-sans-arabic-arabic-700-normal.woff2",
        ),
        ("LICENSE", f"{STATIC_VENDOR}/fonts/LICENSE"),
    ],
    # Only the API documentation page (/api/v1/docs) loads these; no other page ships them.
    "swagger-ui-dist": [
        ("swagger-ui-bundle.js", f"{STATIC_VENDOR}/swagger-ui/swagger-ui-bundle.js"),
        ("swagger-ui.css", f"{STATIC_VENDOR}/swagger-ui/swagger-ui.css"),
        ("LICENSE", f"{STATIC_VENDOR}/swagger-ui/LICENSE"),
        ("NOTICE", f"{STATIC_VENDOR}/swagger-ui/NOTICE"),
    ],
    # Only the check-in page loads it: it reads QR codes from the camera where the browser cannot
    # (no BarcodeDetector, e.g. Safari on iOS).
    "jsqr": [
        ("dist/jsQR.js", f"{STATIC_VENDOR}/jsqr/jsQR.js"),
        ("LICENSE", f"{STATIC_VENDOR}/jsqr/LICENSE"),
    ],
    "axe-core": [
        ("axe.min.js", f"{E2E_VENDOR}/axe.min.js"),
        ("LICENSE", f"{E2E_VENDOR}/LICENSE"),
        ("LICENSE-3RD-PARTY.txt", f"{E2E_VENDOR}/LICENSE-3RD-PARTY.txt"),
    ],
}

TEXT_SUFFIXES = (".css", ".js")
SOURCE_MAP_COMMENT = re.compile(r"\s*(?:/\*[#@]\s*sourceMappingURL=[^*]*\*/|//[#@]\s*sourceMappingURL=[^\r\n]*)\s*\Z")
CSS_URL = re.compile(r"""url\(\s*(['"]?)([^'")]+)\1\s*\)""")


class VendorError(Exception):
    pass


def rel(path: Path) -> str:
    return path.relative_to(ROOT).as_posix()


def find_npm() -> str:
    npm = shutil.which("npm")
    if npm is None:
        raise VendorError(
            "npm was not found on PATH. Install Node.js with npm (for example the Debian packages "
            "'nodejs' and 'npm') and run `make vendor` again."
        )
    result = subprocess.run([npm, "--version"], capture_output=True, text=True, check=False)
    version = result.stdout.strip()
    try:
        major = int(version.split(".")[0])
    except ValueError:
        raise VendorError(f"could not read the npm version (`npm --version` printed {version!r}).") from None
    if major < MIN_NPM_MAJOR:
        raise VendorError(
            f"npm {version} is too old to read package-lock.json; npm {MIN_NPM_MAJOR} or newer is needed."
        )
    return npm


def read_lock() -> dict:
    manifest = LOCK_DIR / "package.json"
    lockfile = LOCK_DIR / "package-lock.json"
    for path in (manifest, lockfile):
        if not path.is_file():
            raise VendorError(f"{rel(path)} is missing.")
    lock = json.loads(lockfile.read_text(encoding="utf-8"))
    wanted = json.loads(manifest.read_text(encoding="utf-8")).get("dependencies", {})
    missing = sorted(set(FILES) - set(wanted))
    if missing:
        raise VendorError(f"scripts/vendor/package.json does not list: {', '.join(missing)}.")
    for name in FILES:
        entry = lock.get("packages", {}).get(f"node_modules/{name}")
        if not entry or not entry.get("integrity"):
            raise VendorError(
                f"{name} is not in scripts/vendor/package-lock.json (with an integrity hash). "
                "Run `npm install --package-lock-only` in scripts/vendor."
            )
    return lock


def npm_ci(npm: str, workdir: Path) -> None:
    for name in ("package.json", "package-lock.json"):
        shutil.copyfile(LOCK_DIR / name, workdir / name)
    command = [
        npm,
        "ci",
        "--ignore-scripts",  # never run code from a package
        "--omit=peer",  # Popper is already inside bootstrap.bundle.min.js
        "--no-audit",
        "--no-fund",
        "--loglevel=error",
    ]
    print("$ " + " ".join(["npm", *command[1:]]), flush=True)
    result = subprocess.run(command, cwd=workdir, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise VendorError(f"`npm ci` failed (exit {result.returncode}):\n{result.stdout}{result.stderr}".rstrip())


def strip_source_map(text: str, source: str) -> str:
    text = SOURCE_MAP_COMMENT.sub("", text)
    if "sourceMappingURL" in text:
        raise VendorError(f"{source} still mentions sourceMappingURL after stripping the trailing comment.")
    return text.rstrip() + "\n"


def check_css_urls(dest: Path) -> None:
    """Every url() in a vendored stylesheet is a data: URI or a file vendored beside it."""
    for match in CSS_URL.finditer(dest.read_text(encoding="utf-8")):
        target = match.group(2).strip()
        if target.startswith("data:"):
            continue
        if "//" in target.split("?")[0].split("#")[0] or re.match(r"^[a-z][a-z0-9+.-]*:", target, re.I):
            raise VendorError(f"{rel(dest)} loads {target} from another host.")
        local = (dest.parent / target.split("?")[0].split("#")[0]).resolve()
        if not local.is_file():
            raise VendorError(f"{rel(dest)} refers to {target}, which is not vendored at {rel(local)}.")


def write_atomically(dest: Path, data: bytes) -> None:
    dest.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=dest.parent, prefix=f".{dest.name}.")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
        os.chmod(tmp, 0o644)
        os.replace(tmp, dest)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


def copy_package(name: str, package_dir: Path) -> list[str]:
    copied = []
    for source_rel, dest_rel in FILES[name]:
        source = package_dir / source_rel
        if not source.is_file():
            raise VendorError(f"{name} has no file {source_rel}; has the package layout changed?")
        data = source.read_bytes()
        if source.suffix in TEXT_SUFFIXES:
            data = strip_source_map(data.decode("utf-8"), f"{name}/{source_rel}").encode("utf-8")
        write_atomically(ROOT / dest_rel, data)
        copied.append(dest_rel)
    return copied


def remove_stale(previous: list[str], current: set[str]) -> None:
    for path_rel in previous:
        if path_rel in current:
            continue
        path = ROOT / path_rel
        if path.is_file():
            path.unlink()
            print(f"removed {path_rel} (no longer vendored)")
            parent = path.parent
            while parent != ROOT and parent.is_dir() and not any(parent.iterdir()):
                parent.rmdir()
                parent = parent.parent


def previous_files() -> list[str]:
    if not VERSIONS.is_file():
        return []
    try:
        data = json.loads(VERSIONS.read_text(encoding="utf-8"))
        return [f for package in data.get("packages", []) for f in package.get("files", [])]
    except (ValueError, AttributeError, TypeError):
        return []


def vendor() -> list[dict]:
    npm = find_npm()
    lock = read_lock()
    with tempfile.TemporaryDirectory(prefix="tansiq-vendor-") as tmp:
        workdir = Path(tmp)
        npm_ci(npm, workdir)
        packages = []
        for name in FILES:
            package_dir = workdir / "node_modules" / name
            lock_entry = lock["packages"][f"node_modules/{name}"]
            installed = json.loads((package_dir / "package.json").read_text(encoding="utf-8"))
            if installed.get("version") != lock_entry["version"]:
                raise VendorError(
                    f"npm installed {name} {installed.get('version')}, the lock says {lock_entry['version']}."
                )
            files = copy_package(name, package_dir)
            packages.append(
                {
                    "name": name,
                    "version": lock_entry["version"],
                    "license": installed.get("license") or lock_entry.get("license"),
                    "integrity": lock_entry["integrity"],
                    "files": files,
                }
            )
    for package in packages:
        for path_rel in package["files"]:
            if path_rel.endswith(".css"):
                check_css_urls(ROOT / path_rel)
    return packages


def main() -> int:
    try:
        before = previous_files()
        packages = vendor()
        remove_stale(before, {f for package in packages for f in package["files"]})
        document = {
            "generated_by": "scripts/vendor.py from scripts/vendor/package-lock.json; do not edit by hand",
            "packages": packages,
        }
        write_atomically(VERSIONS, (json.dumps(document, indent=2, ensure_ascii=False) + "\n").encode())
    except VendorError as error:
        print(f"vendor.py: error: {error}", file=sys.stderr)
        return 1
    for package in packages:
        print(f"{package['name']} {package['version']} ({package['license']}): {len(package['files'])} files")
    print(f"wrote {rel(VERSIONS)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
