"""``callcenter test``: every test, on PostgreSQL.

The tests get their own embedded server in ``var/test`` (or the external
server of CALLCENTER_DB_URI), so they never touch the demo database. One
pytest run collects the Tryton test case of every module and ``tests/``;
arguments that name targets (``tests/test_x.py``, ``--pyargs
trytond.modules.callcenter_kb.tests``) run only those.
"""
import dataclasses
import os
import subprocess
import sys

from . import database
from .settings import MODULES


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
    server_uri, embedded = database.server_uri(tests)
    env = dict(os.environ,
        TRYTOND_DATABASE_URI=server_uri,
        CALLCENTER_TEST_SERVER_URI=server_uri,
        PYTHONUNBUFFERED='1')
    # Unique per run, so that runs side by side do not drop each other's.
    env['DB_NAME'] = f'test_{os.getpid()}'
    argv = [sys.executable, '-m', 'pytest', *pytest_args]
    if not any(has_target(arg) for arg in pytest_args):
        argv += default_targets(settings)
    try:
        return subprocess.call(argv, env=env, cwd=settings.root)
    finally:
        if embedded:
            embedded.stop()
