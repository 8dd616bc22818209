"""Browser tests: Playwright's Python package driving Debian's Chromium (/usr/bin/chromium), never a downloaded
browser. Each page a test visits is checked with axe-core (bundled by axe-playwright-python)."""

import os

import pytest
from axe_playwright_python.sync_playwright import Axe
from django.core.servers.basehttp import WSGIServer
from django.test.testcases import LiveServerThread
from playwright.sync_api import sync_playwright


# One request at a time. On SQLite the test database is in memory and the live server's threads share the test's
# one connection (pytest-django passes it to them): two requests at once — a page's two SVG charts, an image and a
# page — used it together and now and then hung both in sqlite3 (seen in `make test`, with faulthandler's
# tracebacks). Django's plain WSGIServer answers one request after another and closes each connection, so the
# browser never waits on a kept-alive one.
class OneRequestAtATime(WSGIServer):
    def __init__(self, *args, connections_override=None, **kwargs):
        # The live server thread itself takes the shared connections (LiveServerThread.run) and serves here.
        super().__init__(*args, **kwargs)


LiveServerThread.server_class = OneRequestAtATime

CHROMIUM = os.environ.get("CHROMIUM_PATH", "/usr/bin/chromium")
# The closed network: no background fetches, no component updates (they are refused here, many at a time).
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--disable-dev-shm-usage",
]


def pytest_collection_modifyitems(items):
    for item in items:
        if "/tests/browser/" in str(item.fspath):
            item.add_marker(pytest.mark.browser)


@pytest.fixture(scope="session")
def browser():
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")
    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: run scripts/system-deps.sh (installs Debian's chromium)")
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


class CheckedPage:
    """A Playwright page that runs axe on every page it lands on and records CSP violations."""

    def __init__(self, page, base_url):
        self.page = page
        self.base_url = base_url
        self.axe = Axe()
        self.checked: list[str] = []
        self.console_errors: list[str] = []
        page.on("console", lambda msg: msg.type == "error" and self.console_errors.append(msg.text))

    def goto(self, path):
        self.page.goto(self.base_url + path)
        self.check()

    def check(self):
        """axe-core on the current page: no violations allowed."""
        self.page.wait_for_load_state("load")
        results = self.axe.run(self.page)
        self.checked.append(self.page.url)
        assert results.violations_count == 0, f"{self.page.url}\n{results.generate_report()}"
        csp = [e for e in self.console_errors if "Content Security Policy" in e]
        assert csp == [], csp

    def __getattr__(self, name):
        return getattr(self.page, name)


@pytest.fixture
def page(browser, live_server, no_2fa):
    context = browser.new_context(locale="en-US")
    pg = context.new_page()
    pg.set_default_timeout(15000)
    yield CheckedPage(pg, live_server.url)
    context.close()


@pytest.fixture
def login(page, cast):
    def do(user, password=None):
        page.goto("/accounts/login/")
        page.get_by_label("Username").fill(user.username)
        page.get_by_label("Password").fill(password or cast.password)
        page.get_by_role("button", name="Sign in").click()
        page.wait_for_load_state("load")
        return page

    return do
