"""Browser tests: Debian's Chromium, driven by Playwright, against Django's live server.

Playwright never downloads a browser here: it launches the executable named by
``TANSIQ_CHROMIUM`` (default ``/usr/bin/chromium``).
"""

from __future__ import annotations

import os
import re
import shutil
from pathlib import Path

import pytest

E2E_DIR = Path(__file__).resolve().parent
AXE_JS = E2E_DIR / "vendor" / "axe.min.js"
# axe is served to the page from its own origin (intercepted, never reaching Django), so the site's
# Content-Security-Policy (script-src 'self') stays enforced while the tests run.
AXE_PATH = "/__e2e__/axe.min.js"
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
TIMEOUT_MS = 10_000


@pytest.hookimpl(tryfirst=True)
def pytest_collection_modifyitems(config, items):
    # tryfirst: the mark must be there before `-m e2e` / `-m "not e2e"` selects.
    for item in items:
        if E2E_DIR in Path(str(item.path)).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"report_{report.when}", report)


def _chromium_executable() -> str:
    configured = os.environ.get("TANSIQ_CHROMIUM", "/usr/bin/chromium")
    found = shutil.which(configured)
    if found:
        return found
    message = f"Chromium not found at {configured!r}: install Debian's chromium or set TANSIQ_CHROMIUM"
    if os.environ.get("CI"):
        pytest.fail(message)
    pytest.skip(message)


@pytest.fixture(scope="session")
def browser():
    executable = _chromium_executable()
    from playwright.sync_api import sync_playwright

    # Playwright's sync API keeps an event loop in the test thread; Django would otherwise refuse
    # the ORM calls the tests make (reading mail, creating users) as "async-unsafe".
    patch = pytest.MonkeyPatch()
    patch.setenv("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    try:
        with sync_playwright() as playwright:
            chromium = playwright.chromium.launch(executable_path=executable, headless=True, args=CHROMIUM_ARGS)
            yield chromium
            chromium.close()
    finally:
        patch.undo()


@pytest.fixture
def page(browser, live_server, request):
    name = re.sub(r"[^\w.-]+", "_", request.node.name).strip("_")
    screenshot = Path(request.config.rootpath) / "test-results" / "e2e" / f"{name}.png"
    screenshot.unlink(missing_ok=True)
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900})
    context.set_default_timeout(TIMEOUT_MS)
    context.route(f"**{AXE_PATH}", _serve_axe)
    page = context.new_page()
    # What goes wrong besides the test's own assertions; `axe` reports it with the page it checks.
    problems: list[str] = []
    page.on("pageerror", lambda error: problems.append(f"script error on {page.url}: {error}"))
    page.on(
        "console",
        lambda message: (
            problems.append(f"{message.text} (on {page.url})")
            if message.type == "error" and "Content Security Policy" in message.text
            else None
        ),
    )
    page.on(
        "response",
        lambda response: (
            problems.append(f"{response.status} for {response.url}")
            if "/static/" in response.url and response.status >= 400
            else None
        ),
    )
    page.problems = problems
    yield page
    report = getattr(request.node, "report_call", None)
    if report is not None and report.failed:
        screenshot.parent.mkdir(parents=True, exist_ok=True)
        try:
            page.screenshot(path=str(screenshot), full_page=True)
        except Exception as error:  # a screenshot must never hide the real failure
            print(f"Could not save a screenshot: {error}")
    context.close()


def _serve_axe(route):
    if not AXE_JS.exists():
        route.fulfill(status=404, body="axe.min.js is not vendored")
        return
    route.fulfill(path=str(AXE_JS), content_type="text/javascript; charset=utf-8")


def assert_page_healthy(page) -> None:
    """No script error, no Content-Security-Policy refusal, no missing static file so far."""
    problems = list(page.problems)
    page.problems.clear()
    if problems:
        raise AssertionError("The page had problems:\n" + "\n".join(problems))


def run_axe(page) -> list[dict]:
    """Run axe-core on the current page; fail on any serious or critical violation.

    Returns every violation (all impacts), so a test can look at the moderate and minor ones too.
    """
    assert AXE_JS.exists(), f"{AXE_JS} is missing: vendor axe-core (npm axe-core, axe.min.js) there"
    if not page.evaluate("() => typeof window.axe === 'object'"):
        page.add_script_tag(url=AXE_PATH)
    violations = page.evaluate(
        """async () => {
            const results = await axe.run(document, {resultTypes: ["violations"]});
            return results.violations.map(v => ({
                id: v.id, impact: v.impact, help: v.help, helpUrl: v.helpUrl,
                nodes: v.nodes.map(n => ({
                    target: n.target.join(" "),
                    why: [...n.any, ...n.all, ...n.none].map(check => check.message).join("; "),
                })),
            }));
        }"""
    )
    blocking = [v for v in violations if v["impact"] in ("serious", "critical")]
    if blocking:
        raise AssertionError(
            f"Accessibility violations on {page.url}:\n"
            + "\n".join(
                f"- [{v['impact']}] {v['id']}: {v['help']} ({v['helpUrl']})"
                + "".join(f"\n    {node['target']}: {node['why']}" for node in v["nodes"])
                for v in blocking
            )
        )
    assert_page_healthy(page)
    return violations


@pytest.fixture
def axe():
    """``axe(page)`` checks the current page with axe-core (see ``run_axe``)."""
    return run_axe
