"""``callcenter test``: every test, on PostgreSQL.

The tests get their own embedded server in ``var/test`` (or the external
server of CALLCENTER_DB_URI), so they never touch the demo database. One
pytest run collects the Tryton test case of every module and ``tests/``.
"""
import dataclasses
import os
import subprocess
import sys

from . import database
from .settings import MODULES


def test_settings(settings):
    return dataclasses.replace(
        settings, var=settings.var / 'test', db_name='callcenter_test',
        listen='localhost:8069')


def run(settings, pytest_args) -> int:
    tests = test_settings(settings)
    server_uri, embedded = database.server_uri(tests)
    env = dict(os.environ,
        TRYTOND_DATABASE_URI=server_uri,
        CALLCENTER_TEST_SERVER_URI=server_uri,
        PYTHONUNBUFFERED='1')
    env.pop('DB_NAME', None)
    argv = [sys.executable, '-m', 'pytest', '--pyargs',
        *(f'trytond.modules.{m}.tests' for m in MODULES),
        str(settings.root / 'tests'), *pytest_args]
    try:
        return subprocess.call(argv, env=env, cwd=settings.root)
    finally:
        if embedded:
            embedded.stop()
