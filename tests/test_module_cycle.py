"""Every module activates alone, deactivates cleanly and comes back with
its data, the way an admin does it in Administration ▸ Modules.

Runs on PostgreSQL. Each step is a new process, as a restarted server
would be. The stock Tryton modules our modules depend on (company, sale,
stock) are activated once in template databases; each call-center module
is then activated on a copy.
"""
import json
import subprocess
import sys
from pathlib import Path

import pytest

from callcenter import database, provision, settings as settings_module
from callcenter.testing import settings_for_tests

import harness

HERE = Path(__file__).resolve().parent
MODULES = settings_module.MODULES
# Upstream dependencies activated in the templates, by module.
UPSTREAM = {m: ('company',) for m in MODULES}
UPSTREAM['callcenter_stock'] = (
    'company', 'sale', 'stock', 'purchase', 'purchase_request', 'stock_supply',
    'sale_supply', 'sale_stock_quantity', 'carrier')
# Leaves first: a module others depend on cannot be deactivated before them.
DEACTIVATION_ORDER = [
    'callcenter_stock', 'callcenter_campaign', 'callcenter_qa',
    'callcenter_kb', 'callcenter_ticket', 'callcenter_cti', 'callcenter_base']


class Database:
    "A test database and the commands run on it in their own processes."

    def __init__(self, server_uri, config, name):
        self.server_uri, self.config, self.name = server_uri, config, name

    def modules(self, action, *names):
        subprocess.run([sys.executable, '-m', 'callcenter.modules',
                str(self.config), self.name, action, *names], check=True)

    def probe(self, action, *modules):
        "Each module's result of ``action``, by module, in a new process."
        output = subprocess.run([sys.executable, str(HERE / 'cycle_probe.py'),
                str(self.config), self.name, action, *modules],
            check=True, capture_output=True, text=True).stdout
        return json.loads(output.splitlines()[-1])

    def states(self):
        with database.connect(self.server_uri, self.name) as conn:
            return dict(conn.execute('SELECT name, state FROM ir_module'))

    def stale_model_data(self, module):
        "ir_model_data rows of ``module`` whose record is gone (views, menus)."
        with database.connect(self.server_uri, self.name) as conn:
            rows = conn.execute(
                "SELECT d.fs_id FROM ir_model_data d "
                "LEFT JOIN ir_ui_view v ON d.model = 'ir.ui.view' "
                "AND v.id = d.db_id WHERE d.module = %s "
                "AND d.model = 'ir.ui.view' AND v.id IS NULL", (module,))
            return [fs_id for fs_id, in rows]

    def drop(self):
        database.drop(self.server_uri, self.name)


@pytest.fixture(scope='module')
def base():
    return settings_for_tests(settings_module.load())


@pytest.fixture(scope='module')
def config(base, server_uri, tmp_path_factory):
    path = tmp_path_factory.mktemp('cycle') / 'trytond.conf'
    return provision.tryton.write_config(base, server_uri, path)


@pytest.fixture(scope='module')
def upstream_templates(server_uri, config):
    "A database per set of upstream modules, activated once."
    templates = {}
    # Smallest first: a larger set starts from a copy of one it contains.
    for upstream in sorted(set(UPSTREAM.values()), key=len):
        name = 'cc_cycle_' + '_'.join(upstream)
        database.drop(server_uri, name)
        contained = [s for s in templates if set(s) <= set(upstream)]
        start = contained[-1] if contained else ()
        database.create(server_uri, name,
            *([templates[start]] if start else []))
        provision.tryton.admin(config, name, '--update',
            *(m for m in upstream if m not in start),
            '--activate-dependencies', '--email', 'admin@example.com',
            password='admin-test')
        templates[upstream] = name
    yield templates
    for name in templates.values():
        database.drop(server_uri, name)


@pytest.fixture
def copy_of(server_uri, config):
    created = []

    def copy(template, name):
        database.drop(server_uri, name)
        database.create(server_uri, name, template=template)
        db = Database(server_uri, config, name)
        created.append(db)
        return db
    yield copy
    for db in created:
        db.drop()


def dependencies(module):
    "The call-center modules ``module`` needs, itself included."
    from trytond.modules import get_module_info
    needed, todo = set(), [module]
    while todo:
        name = todo.pop()
        if name in needed:
            continue
        needed.add(name)
        todo += [d for d in get_module_info(name)['depends']
            if d.startswith('callcenter_')]
    return needed


@pytest.mark.parametrize('module', MODULES)
def test_module_activates_alone_and_comes_back(
        module, upstream_templates, copy_of):
    "A module activates alone, deactivates cleanly and keeps its data"
    db = copy_of(upstream_templates[UPSTREAM[module]], f'cc_cycle_{module}')
    db.modules('activate', module)
    states = db.states()
    active = {m for m, s in states.items()
        if s == 'activated' and m.startswith('callcenter_')}
    assert active == dependencies(module)

    created = db.probe('create', module)[module]
    numbers = db.probe('use_sequences', module)[module]

    db.modules('deactivate', module)
    assert db.states()[module] == 'not activated'

    db.modules('activate', module)
    assert db.states()[module] == 'activated'
    assert db.stale_model_data(module) == []
    assert created[0] in db.probe('read', module)[module]
    # Numbering goes on where it stopped: no duplicate numbers.
    assert db.probe('next_number', module)[module] == numbers


def test_all_modules_together_then_each_deactivated(server_uri, config,
        copy_of):
    "With every module active, deactivating one leaves the others working"
    base = settings_for_tests(settings_module.load())
    template = harness.template_database(base, server_uri, config)
    db = copy_of(template, 'cc_cycle_all')
    states = db.states()
    assert all(states[m] == 'activated' for m in MODULES)
    db.probe('create', *MODULES)

    remaining = list(MODULES)
    for module in DEACTIVATION_ORDER:
        db.modules('deactivate', module)
        remaining.remove(module)
        states = db.states()
        assert states[module] == 'not activated'
        assert all(states[other] == 'activated' for other in remaining)
        if remaining:
            read = db.probe('read', *remaining)
            assert all(read[other] for other in remaining), read
