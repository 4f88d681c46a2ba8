"""Fixtures of the cross-module tests: PostgreSQL, a served suite, Chromium.

Browser tests use Debian's Chromium through Playwright (``./callcenter
test`` installs both); screenshots go to ``artifacts/`` (git-ignored).
"""
from pathlib import Path

import pytest

import harness
import webclient

ARTIFACTS = Path(__file__).resolve().parents[1] / 'artifacts'
CHROMIUM = '/usr/bin/chromium'
CHROMIUM_ARGS = [
    '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--disable-dev-shm-usage']


@pytest.fixture(scope='session')
def server_uri():
    with harness.serving() as uri:
        yield uri


@pytest.fixture(scope='session')
def suite(server_uri):
    "The demo database copied for this session and served by trytond."
    running = harness.start_suite(server_uri)
    yield running
    harness.stop_suite(running)


@pytest.fixture(scope='module')
def browser():
    """Chromium for one test module: Playwright's sync API keeps an event
    loop running in the main thread, which later asyncio tests must not see."""
    from playwright.sync_api import sync_playwright
    with sync_playwright() as playwright:
        chromium = playwright.chromium.launch(
            executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        yield chromium
        chromium.close()


@pytest.fixture
def page(browser, request):
    "A fresh browser context; its screenshot and console are kept."
    context = browser.new_context(
        viewport={'width': 1366, 'height': 800}, locale='en-US')
    page = context.new_page()
    page.set_default_timeout(30000)
    console = []
    page.on('console', lambda message: console.append(
            f'{message.type}: {message.text}'))
    page.on('pageerror', lambda error: console.append(f'pageerror: {error}'))
    yield page
    ARTIFACTS.mkdir(exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f'{request.node.name}.png'))
    (ARTIFACTS / f'{request.node.name}.console.txt').write_text(
        '\n'.join(console))
    context.close()


@pytest.fixture
def login(page, suite):
    "Log into the web client: ``login('agent1', 'agent1-demo')``."
    def log_in(user, password):
        return webclient.log_in(page, suite.url, suite.db_name, user, password)
    return log_in
