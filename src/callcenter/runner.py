"""``callcenter run``: database, modules, demo data and every process."""
import logging
from pathlib import Path

from . import database, demo, demo_kb, provision, tryton
from .services import Service, Supervisor, wait_for_http

logger = logging.getLogger(__name__)


def services(settings, config: Path) -> list[Service]:
    "The processes of a running suite."
    conf = ('-c', str(config), '-d', settings.db_name)
    simulator = (tryton.tool('callcenter'), 'simulator',
        '--host', demo.SIMULATOR_HOST, '--port', str(demo.SIMULATOR_PORT),
        '--user', demo.SIMULATOR_USER, '--secret', demo.SIMULATOR_SECRET,
        '--recordings', str(settings.var / 'recordings'))
    return [
        Service('web', (tryton.tool('trytond'), *conf)),
        Service('cron', (tryton.tool('trytond-cron'), *conf)),
        Service('worker', (tryton.tool('trytond-worker'), *conf)),
        Service('pbx-simulator', simulator),
        Service('bridge', (tryton.tool('callcenter'), 'bridge',
            '--database', settings.db_name)),
        Service('dialer', (tryton.tool('callcenter'), 'dialer',
            '--database', settings.db_name)),
        ]


def run(settings) -> int:
    supervisor = Supervisor()
    with database.serving(settings) as server_uri:
        try:
            config = provision.prepare(settings, server_uri)
            for service in services(settings, config):
                supervisor.start(service)
            wait_for_http(settings.url, supervisor=supervisor)
            print_welcome(settings)
            return supervisor.wait()
        finally:
            supervisor.stop()


def print_welcome(settings) -> None:
    lines = [
        '',
        f"Call center is running at {settings.url} "
        f"(database {settings.db_name!r}). Ctrl-C stops it.",
        f"PBX simulator (AMI) on {demo.SIMULATOR_HOST}:{demo.SIMULATOR_PORT}: "
        "callcenter simulate inbound --from +8613800138000 --agent agent1",
        '',
        f"  {'login':<10} {'password':<14} role",
        f"  {'admin':<10} {demo.ADMIN_PASSWORD:<14} administrator",
        ]
    for user in demo.USERS:
        lines.append(f"  {user.login:<10} {user.password:<14} {user.role}")
    for login, _, group in demo_kb.USERS:
        role = group.removeprefix('group_').replace('_', ' ')
        lines.append(f"  {login:<10} {login + '-demo':<14} {role}")
    print('\n'.join(lines) + '\n', flush=True)
