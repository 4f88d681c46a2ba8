"""Shared set-up of the benchmarks in bench/.

Each benchmark runs on the PostgreSQL server of CALLCENTER_DB_URI, or else
on an embedded server whose data stays in var/bench/pgdata between runs.
"""
import contextlib
import dataclasses

from . import database, settings as settings_module


@contextlib.contextmanager
def bench_server(db_name: str):
    "Yield the benchmark's settings and server URI; stop what was started."
    base = settings_module.load()
    settings = dataclasses.replace(
        base, var=base.root / 'var' / 'bench', db_name=db_name)
    server_uri, embedded = database.server_uri(settings)
    try:
        yield settings, server_uri
    finally:
        if embedded:
            embedded.stop()
