"""The production deployment in docker/ stays in step with the project."""
import os
import shutil
import subprocess
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[1]
DOCKER = ROOT / 'docker'


def compose():
    return yaml.safe_load((DOCKER / 'compose.yaml').read_text())


def test_compose_has_every_process():
    "PostgreSQL, web, worker, cron, bridge and the proxy are deployed"
    services = compose()['services']
    assert set(services) == {
        'postgres', 'web', 'worker', 'cron', 'bridge', 'proxy'}
    for name in ('web', 'worker', 'cron', 'bridge'):
        assert services[name]['image'] == 'callcenter-suite:8.0', name
        assert 'postgres' in services[name]['depends_on'], name
    assert services['worker']['command'][0] == 'trytond-worker'
    assert services['cron']['command'][0] == 'trytond-cron'


def test_image_installs_every_module():
    "The image installs each module of addons/"
    dockerfile = (DOCKER / 'Dockerfile').read_text()
    for addon in sorted((ROOT / 'addons').iterdir()):
        if (addon / 'tryton.cfg').exists():
            assert f'./addons/{addon.name}' in dockerfile, addon.name


def test_image_config_serves_call_center_scripts():
    "The production trytond.conf loads the web client scripts and the bus"
    conf = (DOCKER / 'trytond.conf').read_text()
    assert 'trytond.modules.callcenter_base.web.StaticScripts' in conf
    assert 'allow_subscribe = True' in conf


def test_compose_config_validates():
    "docker-compose accepts the file (installed by ./callcenter test)"
    env = dict(os.environ, POSTGRES_PASSWORD='test')
    result = subprocess.run(
        [shutil.which('docker-compose') or 'docker-compose',
            '-f', str(DOCKER / 'compose.yaml'), 'config', '-q'],
        env=env, capture_output=True, text=True, timeout=60)
    assert result.returncode == 0, result.stderr
