"""Create or read records of modules' first models, in a process of its own.

``python tests/cycle_probe.py CONFIG DATABASE ACTION MODULE [MODULE…]``
prints, as one JSON object, each module's result (e.g. the records read):
a process started after a module change sees the database as a restarted
server would. Several modules share one process, whose start is the
probe's main cost.
"""
import json
import sys

from callcenter import tryton


def company(pool):
    "The company of the probes, created on first use."
    Company = pool.get('company.company')
    companies = Company.search([], limit=1)
    if companies:
        return companies[0].id
    currency, = pool.get('currency.currency').create([{
                'name': "Chinese Yuan", 'code': 'CNY', 'symbol': '¥'}])
    party, = pool.get('party.party').create([{'name': "Probe Company"}])
    company, = Company.create([{'party': party.id, 'currency': currency.id}])
    return company.id


SAMPLES = {
    'callcenter_base': ('callcenter.team',
        lambda pool: {'name': "Probe Team", 'company': company(pool)}),
    'callcenter_cti': ('callcenter.pbx.server',
        lambda pool: {'name': "Probe PBX", 'username': 'probe'}),
    'callcenter_ticket': ('callcenter.ticket.type',
        lambda pool: {'name': "Probe Type", 'company': company(pool)}),
    'callcenter_kb': ('callcenter.kb.category',
        lambda pool: {'name': "Probe Category"}),
    'callcenter_qa': ('callcenter.qa.item',
        lambda pool: {'name': "Probe Item", 'max_score': 5}),
    'callcenter_campaign': ('callcenter.campaign',
        lambda pool: {'name': "Probe Campaign", 'company': company(pool)}),
    'callcenter_stock': ('callcenter.stock.configuration',
        lambda pool: {'sell_without_stock': False}),
    }


def create(pool, module):
    model, values = SAMPLES[module]
    Model = pool.get(model)
    record, = Model.create([values(pool)])
    return read(pool, module, [record.id])


def read(pool, module, ids=None):
    model, _ = SAMPLES[module]
    Model = pool.get(model)
    records = Model.browse(ids) if ids else Model.search([])
    return [{'id': r.id, 'rec_name': r.rec_name} for r in records]


def next_number(pool, module):
    "The next number of each sequence the module owns."
    ModelData = pool.get('ir.model.data')
    Sequence = pool.get('ir.sequence')
    data = ModelData.search([
            ('module', '=', module), ('model', '=', 'ir.sequence')])
    return {d.fs_id: Sequence(d.db_id).number_next for d in data}


def use_sequences(pool, module):
    "Draw a number from each of the module's sequences."
    ModelData = pool.get('ir.model.data')
    Sequence = pool.get('ir.sequence')
    for data in ModelData.search([
                ('module', '=', module), ('model', '=', 'ir.sequence')]):
        Sequence(data.db_id).get()
    return next_number(pool, module)


ACTIONS = {'create': create, 'read': read, 'next_number': next_number,
    'use_sequences': use_sequences}


def each_module(pool, function, modules):
    return {module: function(pool, module) for module in modules}


def main(config, db_name, action, *modules):
    print(json.dumps(tryton.call(
                config, db_name, each_module, ACTIONS[action], modules)))


if __name__ == '__main__':
    main(*sys.argv[1:])
