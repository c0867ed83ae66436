"""The README's screenshots: the signed-in home page and the inbox, in Arabic, English and Malay.

Prepares the demo network in a temporary directory (``tansiq demo --no-serve``), serves it, signs a
demo owner in with a session made on the server (no password typed), and saves 1280-pixel-wide PNGs
in docs/screenshots/, reduced to 256 colours so that each stays within a few hundred kilobytes.
Needs Chromium (Debian's ``chromium``, or the executable named by TANSIQ_CHROMIUM).

    .venv/bin/python scripts/screenshots.py
"""

from __future__ import annotations

import os
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "screenshots"
ADDRESS = "127.0.0.1:8765"
DEMO = "demo.tansiq.org"
PAGES = {"home": "/{language}/", "inbox": "/{language}/inbox/"}
LANGUAGES = ("ar", "en", "ms")
WIDTH, HEIGHT = 1280, 900
MAX_BYTES = 400_000


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="tansiq-screenshots-") as var:
        env = {
            **os.environ,
            "TANSIQ_VAR_DIR": var,
            "TANSIQ_MODE": "development",
            "TANSIQ_REQUIRE_STAFF_MFA": "false",
        }
        os.environ.update(env)
        tansiq = [sys.executable, "-m", "tansiq.cli"]
        subprocess.run([*tansiq, "demo", "--no-serve"], check=True, env=env, stdout=subprocess.DEVNULL)
        server = subprocess.Popen(
            [*tansiq, "runserver", ADDRESS, "--noreload", "--skip-checks"], env=env, stderr=subprocess.DEVNULL
        )
        try:
            _wait_for(f"http://{ADDRESS}/healthz")
            _shoot({language: _session_cookie(language) for language in LANGUAGES})
        finally:
            server.terminate()
            server.wait(timeout=10)
    return 0


def _wait_for(url: str) -> None:
    for _attempt in range(60):
        try:
            urllib.request.urlopen(url, timeout=2)  # noqa: S310 - our own local server
            return
        except urllib.error.HTTPError:
            return  # it answers (503 from /healthz: no task worker runs here, which is fine)
        except OSError:
            time.sleep(0.5)
    raise SystemExit(f"the server did not answer at {url}")


def _session_cookie(language: str) -> tuple[str, str]:
    """A session for the demo member who reads ``language``, acts for an organisation and has the
    most in their inbox (messages are kept in the reader's language: page and messages agree)."""
    import django

    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "tansiq.settings")
    django.setup()
    from django.conf import settings
    from django.db.models import Count
    from django.test import Client

    from tansiq.accounts.models import User

    person = (
        User.objects.filter(email__endswith=f"@{DEMO}", language=language, memberships__isnull=False)
        .annotate(messages=Count("notifications", distinct=True), acts_for=Count("memberships", distinct=True))
        .order_by("-messages", "-acts_for", "email")
        .first()
    )
    client = Client()
    client.force_login(person)
    return settings.SESSION_COOKIE_NAME, client.cookies[settings.SESSION_COOKIE_NAME].value


def _shoot(cookies: dict[str, tuple[str, str]]) -> None:
    from PIL import Image
    from playwright.sync_api import sync_playwright

    executable = os.environ.get("TANSIQ_CHROMIUM", "/usr/bin/chromium")
    OUT.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=executable, headless=True, args=["--no-sandbox"])
        for language in LANGUAGES:
            context = browser.new_context(viewport={"width": WIDTH, "height": HEIGHT}, base_url=f"http://{ADDRESS}")
            cookie_name, cookie_value = cookies[language]
            context.add_cookies([{"name": cookie_name, "value": cookie_value, "url": f"http://{ADDRESS}"}])
            page = context.new_page()
            for name, path in PAGES.items():
                page.goto(path.format(language=language))
                page.wait_for_load_state("networkidle")
                target = OUT / f"{name}-{language}.png"
                page.screenshot(path=str(target), full_page=False)
                # 256 colours: the pages are flat colours and text, which a palette keeps sharp.
                with Image.open(target) as image:
                    image.convert("RGB").quantize(colors=256, method=Image.Quantize.MEDIANCUT).save(
                        target, optimize=True
                    )
                size = target.stat().st_size
                print(f"{target.relative_to(ROOT)}: {size // 1024} kB")
                if size > MAX_BYTES:
                    raise SystemExit(f"{target} is larger than {MAX_BYTES // 1000} kB")
        browser.close()


if __name__ == "__main__":
    sys.exit(main())
