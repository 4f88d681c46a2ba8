"The bulk path of the customer import stores what create stores."
from trytond.exceptions import UserError
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import _DBTestCase, with_transaction
from trytond.transaction import Transaction

from trytond.modules.callcenter_base.importer.engine import validate

from ..importer import bulk
from ..importer import write as orm
from ..importer.customer import get_targets
from .test_import import gender_mapping, party_count, setup_customers, xlsx
from .tools import create_user

HEADER = ["Name", "Mobile", "Phone", "Email", "Customer Level", "Gender",
    "Birthday", "Street", "City", "Postal Code", "Country",
    "Customer Group"]
ROWS = [
    ["王芳", "13812345678", "010 6552 9988", "Wang.Fang@Example.com", "VIP",
        "1", "20130407", "1 Renmin Road", "北京", "100000", "CN", "Gold"],
    ["Li Qiang", "+86 139 1234 5678", "", "", "corporate", "2", "",
        "", "Shanghai", "", "", ""],
    ["Zhang Wei", "", "", "zhang@example.com", "", "", "", "", "", "", "",
        ""],
    ]
IGNORED = {'id', 'code', 'code_alnum', 'code_digit', 'rec_name', 'party',
    'write_date', 'write_uid'}


def checked_rows(rows, header=HEADER):
    pool = Pool()
    Mapping = pool.get('callcenter.customer.import.mapping')
    Configuration = pool.get('callcenter.configuration')
    mapping, = Mapping.search([])
    country = Configuration(1).phone_country
    result = validate('c.xlsx', xlsx(rows, header), get_targets(),
        mapping=mapping.engine_mapping(), region=country.code)
    assert not result.errors, result.errors
    return result.rows, result.phones


def stored(Model, records):
    "Every stored field of the records but ids and codes, as read gives."
    names = [n for n, f in Model._fields.items()
        if n not in IGNORED and not hasattr(f, 'get')
        and not hasattr(f, 'set')]
    ids = [r.id for r in records]
    values = sorted(Model.read(ids, names), key=lambda v: ids.index(v['id']))
    return [{k: v for k, v in v.items() if k not in IGNORED} for v in values]


def details(party):
    pool = Pool()
    Mechanism = pool.get('party.contact_mechanism')
    Address = pool.get('party.address')
    mechanisms = sorted(party.contact_mechanisms, key=lambda m: m.type)
    return (stored(Mechanism, mechanisms),
        stored(Address, party.addresses),
        [g.id for g in party.customer_groups])


class CustomerImportBulkTestCase(_DBTestCase):
    "Test the bulk path of the customer import"
    module = 'callcenter_ticket'
    maxDiff = None
    extras = ['callcenter_cti']

    def setup(self):
        Pool().get('callcenter.customer.group').create([{'name': "Gold"}])
        setup_customers()
        gender_mapping()

    @with_transaction()
    def test_bulk_equals_create(self):
        "Customers written in bulk equal those create makes, field by field"
        pool = Pool()
        Party = pool.get('party.party')
        Mechanism = pool.get('party.contact_mechanism')
        company = create_company()
        with set_company(company):
            self.setup()
            self.assertTrue(bulk.supported())
            rows, phones = checked_rows(ROWS)
            before = [p.id for p in Party.search([])]
            self.assertEqual(bulk.create_customers(rows, phones=phones), 3)
            by_bulk = Party.search([('id', 'not in', before)],
                order=[('id', 'ASC')])
            before += [p.id for p in by_bulk]
            self.assertEqual(orm.create_customers(rows), 3)
            by_create = Party.search([('id', 'not in', before)],
                order=[('id', 'ASC')])
            self.assertEqual(stored(Party, by_bulk), stored(Party, by_create))
            for party, other in zip(by_bulk, by_create):
                self.assertEqual(details(party), details(other))
            wang = by_bulk[0]
            self.assertEqual(wang.search_key, "王芳 wangfang wf")
            self.assertEqual(wang.cc_attributes['gender'], 'male')
            self.assertEqual(
                [(m.type, m.value, m.phone_key, m.phone_tail)
                    for m in sorted(wang.contact_mechanisms,
                        key=lambda m: m.type)],
                [('email', 'Wang.Fang@Example.com', None, None),
                    ('mobile', '+86 138 1234 5678', '+8613812345678',
                        '12345678'),
                    ('phone', '+86 10 6552 9988', '+861065529988',
                        '65529988')])
            codes = [int(p.code) for p in by_bulk + by_create]
            self.assertEqual(codes, sorted(codes))
            self.assertEqual(len(set(codes)), 6)
            # the caller lookup finds the customers written in bulk
            for number in ['13812345678', '+8613812345678', '65529988']:
                self.assertIn(wang.id, Mechanism.match_parties(number))
            self.assertIn(wang, Party.search([('rec_name', 'ilike', '%wf%')]))

    @with_transaction()
    def test_bad_last_row_writes_nothing(self):
        "A bad row at the end of a large file leaves the database unchanged"
        Import = Pool().get('callcenter.customer.import')
        company = create_company()
        with set_company(company):
            self.setup()
            rows = [[f"Customer {i}", f'139{i:08d}', "", f'c{i}@example.com',
                    "VIP", "1", "20130407", "", "", "", "", ""]
                for i in range(2500)]
            before = party_count()
            job = self.execute(rows + [["Bad", "12345"] + [""] * 10],
                expect=[0, 19, 39])
            self.assertEqual(party_count(), before)
            self.assertEqual((job.state, job.created, job.error_count),
                ('failed', 0, 1))
            self.assertIn('Row 2502, column "Mobile"', job.errors)
            job = self.execute(rows, expect=[0, 20, 40, 99, 100])
            self.assertEqual((job.state, job.created), ('done', 2500))
            self.assertEqual(party_count(), before + 2500)
            self.assertEqual(Import(job.id).progress, 100)

    @with_transaction()
    def test_agent_cannot_bulk_create(self):
        "The bulk path refuses agents, even without access checks"
        company = create_company()
        agent = create_user('agent', company, 'group_agent')
        leader = create_user('leader', company, 'group_team_leader')
        with set_company(company):
            self.setup()
            rows, phones = checked_rows(ROWS[:1])
            before = party_count()
            for context in [{}, {'_check_access': True}]:
                with Transaction().set_user(agent.id), \
                        Transaction().set_context(context):
                    with self.assertRaisesRegex(UserError, "only read"):
                        bulk.create_customers(rows, phones=phones)
            self.assertEqual(party_count(), before)
            with Transaction().set_user(leader.id):
                self.assertEqual(bulk.create_customers(rows, phones=phones), 1)

    def execute(self, rows, expect):
        "Run an import of rows; assert the progress it reports."
        pool = Pool()
        Import = pool.get('callcenter.customer.import')
        Mapping = pool.get('callcenter.customer.import.mapping')
        mapping, = Mapping.search([])
        job, = Import.create([{'file': xlsx(rows, HEADER),
                    'filename': 'large.xlsx', 'mapping': mapping.id}])
        progress = []

        def report(values):
            Import.write([job], values)
            if 'progress' in values:
                progress.append(values['progress'])
        Import._execute(job, report)
        self.assertEqual(progress, expect)
        return job


del _DBTestCase
