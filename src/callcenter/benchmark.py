"""Shared set-up of the benchmarks in bench/.

Each benchmark runs on the PostgreSQL server of CALLCENTER_DB_URI, or else
on an embedded server whose data stays in var/bench/pgdata between runs.
"""
import contextlib
import dataclasses

from . import database, settings as settings_module, tryton


@contextlib.contextmanager
def bench_server(db_name: str):
    "Yield the benchmark's settings and server URI; stop what was started."
    base = settings_module.load()
    settings = dataclasses.replace(
        base, var=base.root / 'var' / 'bench', db_name=db_name)
    with database.serving(settings) as server_uri:
        yield settings, server_uri


def fresh_database(settings, server_uri: str, db_name: str, module: str,
        folder: str):
    """``db_name`` created anew with ``module`` and its dependencies; its
    trytond config, in ``var/bench/<folder>`` so that trytond-admin's
    password file never races another benchmark's."""
    database.drop(server_uri, db_name)
    database.create(server_uri, db_name)
    database.create_extensions(server_uri, db_name)
    config = tryton.write_config(
        settings, server_uri, settings.var / folder / 'trytond.conf')
    tryton.admin(config, db_name, '--update', module,
        '--activate-dependencies', '--email', 'a@b.c', password='x')
    return config


def percentile(values, p: float):
    "The ``p``-th percentile of ``values`` (nearest rank)."
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(p / 100 * len(ordered))))]


def copy_rows(conn, table: str, columns, rows) -> None:
    "Load ``rows`` (tuples in the order of ``columns``) by one COPY."
    with conn.cursor() as cursor:
        with cursor.copy(
                f'COPY {table} ({", ".join(columns)}) FROM STDIN') as copy:
            for row in rows:
                copy.write_row(row)
