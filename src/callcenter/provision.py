"""Bring a database to a usable state: created, modules active, demo data."""
import hashlib
import logging

from . import database, demo, tryton
from .settings import MODULES, ROOT

logger = logging.getLogger(__name__)
ADMIN_EMAIL = 'admin@example.com'


def prepare(settings, server_uri: str, *, with_demo: bool = True,
        config=None, track_sources: bool = True):
    """Create and fill ``settings.db_name`` as needed; return the config path.

    With ``track_sources``, a database built from other module sources is
    upgraded (the hash of the sources is kept in var/).
    """
    config = tryton.write_config(settings, server_uri, config)
    name = settings.db_name
    if not database.exists(server_uri, name):
        database.create(server_uri, name)
    database.create_extensions(server_uri, name)
    activated = activate(config, server_uri, name, MODULES)
    if track_sources:
        stamp, sources = settings.var / f'{name}.modules', modules_hash()
        built_from = stamp.read_text() if stamp.exists() else None
        if not activated and built_from != sources:
            upgrade(config, name)
        stamp.write_text(sources)
    if with_demo:
        demo.load(config, name)
    return config


def modules_hash() -> str:
    "A hash of the modules' sources: it changes when they need an upgrade."
    digest = hashlib.sha1()
    for path in sorted((ROOT / 'addons').rglob('*')):
        if path.is_file() and '__pycache__' not in path.parts:
            digest.update(str(path.relative_to(ROOT)).encode())
            digest.update(path.read_bytes())
    return digest.hexdigest()


def upgrade(config, name: str) -> None:
    "Upgrade every module, for a database built from other sources."
    logger.info("module sources changed: upgrading %s", name)
    tryton.admin(config, name, '--update', *MODULES,
        '--activate-dependencies', '--language', 'zh_CN')


def activate(config, server_uri: str, name: str, modules) -> bool:
    "Activate the modules not yet active; return whether any was."
    states = tryton.module_states(server_uri, name)
    missing = [m for m in modules if states.get(m) != 'activated']
    if not missing:
        return False
    logger.info("activating %s", ', '.join(missing))
    tryton.admin(
        config, name, '--update', *missing, '--activate-dependencies',
        '--email', ADMIN_EMAIL, '--language', 'zh_CN',
        password=demo.ADMIN_PASSWORD)
    return True
