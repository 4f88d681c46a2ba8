"""``./callcenter run`` as a new user meets it: it serves the web client,
prints the URL and the demo logins, and Ctrl-C stops all it started.

The command runs on a copy of the demo template (building the database
from nothing is what every other test session already does) on the test
server, with its own database name and web port.
"""
import os
import queue
import re
import signal
import socket
import subprocess
import threading
import urllib.error
import urllib.request

import psutil
import pytest

from callcenter import database, provision, settings as settings_module
from callcenter.demo import SIMULATOR_HOST, SIMULATOR_PORT
from callcenter.testing import settings_for_tests

import harness
import webclient

pytestmark = pytest.mark.browser

ROOT = settings_module.ROOT
START_TIMEOUT = 180
STOP_TIMEOUT = 60
SERVICES = 6  # web, cron, worker, PBX simulator, bridge, dialer
LOGIN_LINE = re.compile(r'^  (\S+)\s+(\S+-demo)\s+(.+)$')


@pytest.fixture
def demo_database(server_uri, tmp_path):
    "A copy of the demo template, which `run` knows as built from these sources."
    name = f'cc_runcmd_{os.getpid()}'
    base = settings_for_tests(settings_module.load())
    template = harness.template_database(
        base, server_uri, tmp_path / 'trytond.conf')
    database.drop(server_uri, name)
    database.create(server_uri, name, template=template)
    stamp = ROOT / 'var' / f'{name}.modules'
    stamp.write_text(provision.modules_hash())
    yield name
    stamp.unlink(missing_ok=True)
    database.drop(server_uri, name)


class Command:
    "``./callcenter run`` in its own process group, as in a terminal."

    def __init__(self, env):
        self.process = subprocess.Popen([str(ROOT / 'callcenter'), 'run'],
            env=env, cwd=ROOT, stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT, text=True, start_new_session=True)
        self.lines = queue.Queue()
        threading.Thread(target=self._read, daemon=True).start()
        self.output = []

    def _read(self):
        for line in self.process.stdout:
            self.lines.put(line.rstrip('\n'))

    def wait_for(self, text, timeout):
        "Lines printed until one containing ``text``."
        while True:
            try:
                line = self.lines.get(timeout=timeout)
            except queue.Empty:
                pytest.fail(f"no {text!r} within {timeout} s:\n"
                    + '\n'.join(self.output[-40:]))
            self.output.append(line)
            if text in line:
                return line

    def printed_logins(self):
        "login → password of the table printed after the URL."
        logins = {}
        while True:
            try:
                line = self.lines.get(timeout=2)
            except queue.Empty:
                return logins
            self.output.append(line)
            if match := LOGIN_LINE.match(line):
                logins[match.group(1)] = match.group(2)

    def ctrl_c(self):
        os.killpg(self.process.pid, signal.SIGINT)
        return self.process.wait(STOP_TIMEOUT)

    def kill(self):
        if self.process.poll() is None:
            os.killpg(self.process.pid, signal.SIGKILL)
            self.process.wait()


def port_taken(host, port):
    with socket.socket() as sock:
        return sock.connect_ex((host, port)) == 0


def answers(url):
    try:
        with urllib.request.urlopen(url, timeout=5):
            return True
    except (urllib.error.URLError, OSError):
        return False


def test_run_serves_web_client_and_ctrl_c_stops_all(
        server_uri, demo_database, page):
    "run prints URL and logins, an agent logs in, Ctrl-C leaves nothing"
    if port_taken(SIMULATOR_HOST, SIMULATOR_PORT):
        pytest.skip(f"port {SIMULATOR_PORT} is taken (a suite is running)")
    url = f'http://localhost:{harness.free_port()}/'
    command = Command(dict(os.environ,
            CALLCENTER_DB_URI=server_uri, CALLCENTER_DB_NAME=demo_database,
            CALLCENTER_LISTEN=url.removeprefix('http://').rstrip('/')))
    try:
        running = command.wait_for('Call center is running at', START_TIMEOUT)
        assert url in running
        logins = command.printed_logins()
        assert {'admin', 'agent1', 'agent2', 'agent3', 'leader1', 'qa1'} \
            <= logins.keys()

        webclient.log_in(page, url, demo_database, 'agent1', logins['agent1'])
        page.locator('#menu').get_by_text('Call Center', exact=True) \
            .wait_for()
        started = psutil.Process(command.process.pid).children(recursive=True)
        assert len(started) >= SERVICES

        assert command.ctrl_c() == 0
        left = [p for p in started
            if p.is_running() and p.status() != psutil.STATUS_ZOMBIE]
        assert left == [], [p.cmdline() for p in left]
        assert not answers(url)
        assert not port_taken(SIMULATOR_HOST, SIMULATOR_PORT)
    finally:
        command.kill()
