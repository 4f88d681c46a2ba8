"""Fixtures of the cross-module tests: PostgreSQL, a served suite, Chromium.

Browser tests use Debian's Chromium through Playwright (``./callcenter
test`` installs both); screenshots go to ``artifacts/`` (git-ignored).
"""
from pathlib import Path

import pytest

import harness

ARTIFACTS = Path(__file__).resolve().parents[1] / 'artifacts'
CHROMIUM = '/usr/bin/chromium'
CHROMIUM_ARGS = [
    '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
    '--disable-background-networking', '--disable-component-update',
    '--disable-sync', '--disable-dev-shm-usage']


@pytest.fixture(scope='session')
def server_uri():
    uri, embedded = harness.server_uri()
    yield uri
    if embedded:
        embedded.stop()


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
        page.goto(f'{suite.url}#{suite.db_name}')
        # sao's login reads the database field, filled once the server has
        # listed its databases: a click before that does nothing.
        page.wait_for_function(
            "[...document.querySelectorAll('.login-dialog [name=database]')]"
            ".some(field => field.value)")
        page.locator('#login').fill(user)
        page.locator('.login-dialog button[type=submit]').click()
        password_input = page.locator('input[type=password]:visible')
        password_input.fill(password)
        password_input.press('Enter')
        page.locator('#menu').wait_for(state='visible')
        # The server replays a user's recent bus messages to a new page: a
        # pop sent at the end of an earlier test would reach this one.
        page.wait_for_function('window.CallCenter')
        page.evaluate(
            'CallCenter.loadedAt = Date.now() / 1000 + CallCenter.clockSkew')
        return page
    return log_in
