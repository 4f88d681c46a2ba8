"""Bring a database to a usable state: created, modules active, demo data."""
import logging

from . import database, demo, tryton
from .settings import MODULES

logger = logging.getLogger(__name__)
ADMIN_EMAIL = 'admin@example.com'


def prepare(settings, server_uri: str, *, with_demo: bool = True,
        config=None):
    "Create and fill ``settings.db_name`` as needed; return the config path."
    config = tryton.write_config(settings, server_uri, config)
    name = settings.db_name
    if not database.exists(server_uri, name):
        database.create(server_uri, name)
    database.create_extensions(server_uri, name)
    activate(config, server_uri, name, MODULES)
    if with_demo:
        demo.load(config, name)
    return config


def activate(config, server_uri: str, name: str, modules) -> None:
    "Activate the modules not yet active, with their dependencies."
    states = tryton.module_states(server_uri, name)
    missing = [m for m in modules if states.get(m) != 'activated']
    if not missing:
        return
    logger.info("activating %s", ', '.join(missing))
    tryton.admin(
        config, name, '--update', *missing, '--activate-dependencies',
        '--email', ADMIN_EMAIL, '--language', 'zh_CN',
        password=demo.ADMIN_PASSWORD)
