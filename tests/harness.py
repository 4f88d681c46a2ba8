"""A running suite for the cross-module and browser tests.

The demo database is built once per version of the modules and kept as a
template (``cc_template_<hash>``): every test session then starts from a
fresh copy in a second instead of activating every module again.
"""
import contextlib
import dataclasses
import hashlib
import json
import os
import socket
import urllib.request
from pathlib import Path
from typing import Iterator

import psycopg
from psycopg import sql

from callcenter import database, provision, settings as settings_module
from callcenter.demo import ADMIN_PASSWORD
from callcenter import runner
from callcenter.services import Supervisor, wait_for_http
from callcenter.testing import settings_for_tests

ROOT = Path(__file__).resolve().parents[1]
TEMPLATE_PREFIX = 'cc_template_'


def sources_key() -> str:
    "A hash of everything that shapes the demo database."
    digest = hashlib.sha1(provision.modules_hash().encode())
    source = ROOT / 'src' / 'callcenter'
    for path in sorted([*source.glob('demo*.py'), source / 'provision.py']):
        digest.update(path.read_bytes())
    return digest.hexdigest()[:12]


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(('127.0.0.1', 0))
        return sock.getsockname()[1]


@dataclasses.dataclass
class Suite:
    "A test database with the demo data, served by trytond."
    settings: object
    server_uri: str
    config: Path
    supervisor: Supervisor

    @property
    def url(self) -> str:
        return self.settings.url

    @property
    def db_name(self) -> str:
        return self.settings.db_name

    def connect(self):
        return database.connect(self.server_uri, self.db_name, autocommit=True)


def template_database(base_settings, server_uri: str, config: Path) -> str:
    "The template for this version of the modules, built when missing."
    name = TEMPLATE_PREFIX + sources_key()
    if not database.exists(server_uri, name):
        building = dataclasses.replace(
            base_settings, db_name=f'{name}_tmp{os.getpid()}')
        provision.prepare(
            building, server_uri, config=config, track_sources=False)
        try:
            with database.connect(server_uri, autocommit=True) as conn:
                conn.execute(sql.SQL('ALTER DATABASE {} RENAME TO {}').format(
                        sql.Identifier(building.db_name),
                        sql.Identifier(name)))
        except psycopg.errors.DuplicateDatabase:
            database.drop(server_uri, building.db_name)  # built concurrently
        drop_old_templates(server_uri, keep=name)
    return name


def drop_old_templates(server_uri: str, keep: str) -> None:
    with database.connect(server_uri, autocommit=True) as conn:
        names = [n for n, in conn.execute(
                "SELECT datname FROM pg_database WHERE datname LIKE %s",
                (TEMPLATE_PREFIX + '%',))]
    for name in names:
        if name != keep and '_tmp' not in name:
            try:
                database.drop(server_uri, name)
            except psycopg.Error:
                pass  # in use by a concurrent run: left for a later one


def start_suite(server_uri: str, services=('web', 'worker')) -> Suite:
    """Copy the template into a database of this run and serve it.

    The configuration queues background tasks (``[queue] worker = True``,
    as in production): without trytond-worker beside the web server a
    queued task, such as a QA list's sampling, would never run."""
    run_id = os.getpid()
    base = settings_for_tests(settings_module.load())
    config = base.var / f'trytond-{run_id}.conf'
    template = template_database(base, server_uri, config)
    settings = dataclasses.replace(
        base, db_name=f'cc_run_{run_id}', listen=f'localhost:{free_port()}')
    config = provision.tryton.write_config(settings, server_uri, config)
    database.drop(server_uri, settings.db_name)
    database.create(server_uri, settings.db_name, template=template)
    supervisor = Supervisor()
    for service in runner.services(settings, config):
        if service.name in services:
            supervisor.start(service)
    wait_for_http(settings.url, supervisor=supervisor)
    warm_up(settings)
    return Suite(settings, server_uri, config, supervisor)


def warm_up(settings) -> None:
    "Log in once so that trytond loads the database's pool before a test."
    body = json.dumps({'id': 0, 'method': 'common.db.login',
            'params': ['admin', {'password': ADMIN_PASSWORD}, 'en']}).encode()
    request = urllib.request.Request(
        f'{settings.url}{settings.db_name}/rpc/', data=body,
        headers={'Content-Type': 'application/json'})
    with urllib.request.urlopen(request, timeout=120) as response:
        assert 'result' in json.loads(response.read()), "admin login failed"


def stop_suite(suite: Suite) -> None:
    suite.supervisor.stop()
    database.drop(suite.server_uri, suite.db_name)
    suite.config.unlink(missing_ok=True)


@contextlib.contextmanager
def serving() -> Iterator[str]:
    "The test server of `callcenter test`, or an embedded one."
    uri = os.environ.get('CALLCENTER_TEST_SERVER_URI')
    if uri:
        yield uri
        return
    with database.serving(settings_for_tests(settings_module.load())) as uri:
        yield uri
