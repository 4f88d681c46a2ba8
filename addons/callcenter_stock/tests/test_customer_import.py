"The customer import keeps its bulk path with sale and stock active."
from trytond.modules.callcenter_ticket.importer import bulk
from trytond.modules.callcenter_ticket.importer import write as orm
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import _DBTestCase, with_transaction

ROWS = [(2, {'name': "王芳", 'mobile': '+8613812345678'}),
    (3, {'name': "Li Qiang", 'email': 'li@example.com'})]
LOCATIONS = ('customer_location', 'supplier_location')


def locations(parties):
    "The parties' default locations and how many value rows hold them."
    Value = Pool().get('party.party.location')
    return [(tuple(getattr(p, n) for n in LOCATIONS),
            Value.search_count([('party', '=', p.id)])) for p in parties]


class CustomerImportStockTestCase(_DBTestCase):
    "Test the customer import with stock's party defaults"
    module = 'callcenter_stock'

    @with_transaction()
    def test_bulk_path_writes_stock_defaults(self):
        "New customers get stock's locations through COPY as through create"
        Party = Pool().get('party.party')
        company = create_company()
        with set_company(company):
            self.assertTrue(bulk.supported())
            before = [p.id for p in Party.search([])]
            bulk.create_customers(ROWS)
            by_bulk = Party.search([('id', 'not in', before)],
                order=[('id', 'ASC')])
            before += [p.id for p in by_bulk]
            orm.create_customers(ROWS)
            by_create = Party.search([('id', 'not in', before)],
                order=[('id', 'ASC')])
            self.assertEqual(locations(by_bulk), locations(by_create))
            (found, count), _ = locations(by_bulk)
            self.assertTrue(all(found), found)
            self.assertEqual(count, 1)


del _DBTestCase
