"""Running Tryton for the suite: its configuration and in-process access."""
import os
import subprocess
import sys
from pathlib import Path

from . import database

TEMPLATE = 'config/trytond.conf.template'


def write_config(settings, server_uri: str, path: Path = None) -> Path:
    "Fill the trytond.conf template (to ``path`` or var/) and return it."
    path = path or settings.trytond_conf
    template = (settings.root / TEMPLATE).read_text()
    settings.filestore.mkdir(parents=True, exist_ok=True)
    text = template.format(
        database_uri=server_uri, filestore=settings.filestore,
        listen=settings.listen, sao_root=settings.sao_root)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return path


def tool(name: str) -> str:
    "Path of a console script installed beside this Python."
    return str(Path(sys.executable).with_name(name))


def admin(config: Path, db_name: str, *args: str, password: str = None):
    "Run trytond-admin on the database with the given arguments."
    env = dict(os.environ)
    passfile = None
    if password is not None:
        passfile = config.with_name('adminpass')
        passfile.write_text(password + '\n')
        env['TRYTONPASSFILE'] = str(passfile)
    try:
        subprocess.run(
            [tool('trytond-admin'), '-c', str(config), '-d', db_name, *args],
            check=True, env=env)
    finally:
        if passfile:
            passfile.unlink(missing_ok=True)


def module_states(server_uri: str, db_name: str) -> dict[str, str]:
    "Module name → state, empty when the database is not initialised."
    with database.connect(server_uri, db_name) as conn:
        cursor = conn.execute(
            "SELECT to_regclass('ir_module') IS NOT NULL")
        if not cursor.fetchone()[0]:
            return {}
        return dict(conn.execute('SELECT name, state FROM ir_module'))


def init_pool(config: Path, db_name: str):
    "Load trytond's configuration and the database's pool in this process."
    from trytond.config import config as trytond_config
    trytond_config.update_etc(str(config))
    from trytond.pool import Pool
    pool = Pool(db_name)
    pool.init()
    return pool


def call(config: Path, db_name: str, function, *args, user: int = 0):
    "Run ``function(pool, *args)`` in a committed Tryton transaction."
    return run(init_pool(config, db_name), db_name, function, *args,
        user=user)


def run(pool, db_name: str, function, *args, user: int = 0):
    """Run ``function(pool, *args)`` in a committed Tryton transaction of
    the initialised ``pool``: the one runner of the command line, the
    benchmarks and the CTI bridge.

    Retried the way trytond's own worker does when a table must be locked
    from the start (``TransactionError``).
    """
    from trytond.transaction import Transaction, TransactionError
    extras = {}
    while True:
        with Transaction().start(db_name, user, context={}, **extras) as tx:
            try:
                result = function(pool, *args)
            except TransactionError as error:
                tx.rollback()
                error.fix(extras)
                continue
            tx.commit()
            return result
