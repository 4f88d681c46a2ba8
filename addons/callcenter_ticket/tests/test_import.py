"Customer import and export: files in, customers out, all or nothing."
import datetime as dt
import io

import openpyxl

from trytond.exceptions import UserError
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import _DBTestCase, with_transaction
from trytond.transaction import Transaction

from .tools import create_user

HEADER = ["Name", "Mobile", "Customer Level", "Gender", "Birthday",
    "Member Since", "City"]
GOOD = [
    ["Wang Fang", "13812345678", "VIP", "1", "20130407", "20130407120000",
        "Beijing"],
    ["Li Qiang", "+86 139 1234 5678", "corporate", "2", "2013/4/7",
        "2013-04-07 08:30", "Shanghai"],
    ]
BAD = [
    ["Zhang Wei", "13812345678", "VIP", "1", "20130407", "20130407120000",
        ""],
    ["", "12345", "Gold", "3", "20131307", "2013-04-07 25:00", ""],
    ]


def xlsx(rows, header=HEADER):
    book = openpyxl.Workbook()
    sheet = book.active
    for row in [header] + rows:
        sheet.append(row)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def xls(rows, header=HEADER):
    "An Excel 97 file written with xlwt, numbers as Excel stores them."
    import xlwt
    book = xlwt.Workbook()
    sheet = book.add_sheet("Customers")
    for r, row in enumerate([header] + rows):
        for c, value in enumerate(row):
            if isinstance(value, str) and value.isdigit() and c == 1:
                value = float(value)  # a phone typed into Excel
            sheet.write(r, c, value)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def setup_customers():
    "China as phone country, gender and birthday custom fields."
    pool = Pool()
    Country = pool.get('country.country')
    Configuration = pool.get('callcenter.configuration')
    Attribute = pool.get('callcenter.attribute')
    china, = Country.create([{'name': "China", 'code': 'CN'}])
    Configuration.write([Configuration(1)], {'phone_country': china.id})
    Attribute.create([
            {'name': 'gender', 'string': "Gender", 'type_': 'selection',
                'selection': "male: Male\nfemale: Female"},
            {'name': 'birthday', 'string': "Birthday", 'type_': 'date'},
            {'name': 'member_since', 'string': "Member Since",
                'type_': 'datetime'},
            ])


def gender_mapping():
    Mapping = Pool().get('callcenter.customer.import.mapping')
    mapping, = Mapping.create([{
                'name': "CRM export",
                'lines': [('create', [
                            {'header': "Gender", 'field': 'attribute:gender',
                                'codes': "1=male\n2=female"},
                            {'header': "Mobile", 'field': 'mobile'},
                            ])],
                }])
    return mapping


def run_import(data, filename, mapping=None, duplicates='skip'):
    Import = Pool().get('callcenter.customer.import')
    job, = Import.create([{
                'file': data, 'filename': filename,
                'mapping': mapping.id if mapping else None,
                'duplicates': duplicates}])
    Import.start([job])
    return job


def party_count():
    return Pool().get('party.party').search_count([])


class CustomerImportTestCase(_DBTestCase):
    "Test the customer import and export"
    module = 'callcenter_ticket'

    def assert_imported(self, job):
        Party = Pool().get('party.party')
        self.assertEqual((job.state, job.created, job.errors),
            ('done', 2, None))
        wang, = Party.search([('name', '=', "Wang Fang")])
        self.assertEqual(wang.customer_level, 'vip')
        self.assertEqual(wang.source_channel, 'import')
        self.assertEqual(wang.cc_attributes, {
                'gender': 'male', 'birthday': dt.date(2013, 4, 7),
                'member_since': dt.datetime(2013, 4, 7, 12)})
        self.assertEqual([(m.type, m.value_compact)
                for m in wang.contact_mechanisms],
            [('mobile', '+8613812345678')])
        self.assertEqual(wang.addresses[0].city, "Beijing")
        li, = Party.search([('name', '=', "Li Qiang")])
        self.assertEqual(li.customer_level, 'corporate')
        self.assertEqual(li.cc_attributes['gender'], 'female')
        self.assertEqual(li.cc_attributes['member_since'],
            dt.datetime(2013, 4, 7, 8, 30))

    @with_transaction()
    def test_good_xlsx(self):
        "A good .xlsx creates every customer with coded values and dates"
        company = create_company()
        with set_company(company):
            setup_customers()
            job = run_import(xlsx(GOOD), 'good.xlsx', gender_mapping())
            self.assert_imported(job)

    @with_transaction()
    def test_good_xls(self):
        "A good Excel 97 .xls imports the same, numbers stored as floats"
        company = create_company()
        with set_company(company):
            setup_customers()
            job = run_import(xls(GOOD), 'good.xls', gender_mapping())
            self.assert_imported(job)

    @with_transaction()
    def test_csv_with_chinese_headers(self):
        "Chinese headers of a UTF-8 .csv match the fields by themselves"
        Party = Pool().get('party.party')
        company = create_company()
        with set_company(company):
            setup_customers()
            data = ("姓名,手机,客户级别,邮箱,城市\n"
                "王芳,13812345678,VIP,wang@example.com,北京\n").encode()
            job = run_import(data, 'customers.csv')
            self.assertEqual((job.state, job.created), ('done', 1))
            wang, = Party.search([('name', '=', "王芳")])
        self.assertEqual(wang.customer_level, 'vip')
        self.assertEqual(sorted(m.type for m in wang.contact_mechanisms),
            ['email', 'mobile'])
        self.assertEqual(wang.addresses[0].city, "北京")

    def check_bad_file(self, data, filename):
        company = create_company()
        with set_company(company):
            setup_customers()
            before = party_count()
            job = run_import(data, filename, gender_mapping())
            self.assertEqual(party_count(), before)
        self.assertEqual((job.state, job.created), ('failed', 0))
        errors = job.errors.splitlines()
        self.assertEqual(job.error_count, len(errors))
        return errors

    @with_transaction()
    def test_bad_xlsx_imports_nothing(self):
        "Every bad row is reported by row and column, and nothing imported"
        errors = self.check_bad_file(xlsx(GOOD + BAD), 'bad.xlsx')
        self.assertEqual(errors, [
                'Row 4, column "Mobile": the number +8613812345678 is '
                'already on row 2 of the file.',
                'Row 5, column "Name": a value is required.',
                'Row 5, column "Mobile": "12345" is not a valid phone '
                'number.',
                'Row 5, column "Customer Level": "Gold" is not one of the '
                'values (Potential, Individual, Corporate, VIP) nor a code '
                'of the mapping.',
                'Row 5, column "Gender": "3" is not one of the values '
                '(Male, Female) nor a code of the mapping.',
                'Row 5, column "Birthday": "20131307" is not a date; write '
                'it as 20130407, 2013-04-07 or 2013/4/7.',
                'Row 5, column "Member Since": "2013-04-07 25:00" is not a '
                'date and time; write it as 20130407120000 or 2013-04-07 '
                '12:00:00.',
                ])

    @with_transaction()
    def test_bad_xls_imports_nothing(self):
        "A bad .xls is refused whole with its row numbers"
        errors = self.check_bad_file(xls(GOOD + BAD), 'bad.xls')
        self.assertEqual(len(errors), 7)
        self.assertTrue(all(e.startswith(('Row 4,', 'Row 5,'))
                for e in errors), errors)

    @with_transaction()
    def test_unreadable_and_missing_column(self):
        "A broken file or a file without names is reported, not imported"
        errors = self.check_bad_file(b'PK\x03\x04garbage', 'broken.xlsx')
        self.assertEqual(len(errors), 1)
        self.assertIn('cannot be read', errors[0])
        with set_company(Pool().get('company.company').search([])[0]):
            job = run_import(xlsx([["13812345678"]], header=["Mobile"]),
                'nameless.xlsx')
        self.assertEqual(job.state, 'failed')
        self.assertIn('no column for "Name"', job.errors)

    def import_twice(self, duplicates):
        Party = Pool().get('party.party')
        company = create_company()
        with set_company(company):
            setup_customers()
            run_import(xlsx(GOOD), 'first.xlsx', gender_mapping())
            changed = [["Wang Fang (new)", "+8613812345678", "Individual",
                    "2", "", "", ""]]
            mapping, = Pool().get(
                'callcenter.customer.import.mapping').search([])
            job = run_import(xlsx(changed), 'again.xlsx', mapping,
                duplicates=duplicates)
            parties = Party.search([('name', 'like', "Wang Fang%")])
        return job, parties

    @with_transaction()
    def test_duplicates_skipped(self):
        "A row with an existing customer's number is skipped and reported"
        job, parties = self.import_twice('skip')
        self.assertEqual((job.state, job.created, job.skipped), ('done', 0, 1))
        self.assertIn('Row 2: the customer "Wang Fang"', job.report)
        party, = parties
        self.assertEqual(
            (party.name, party.customer_level), ("Wang Fang", 'vip'))

    @with_transaction()
    def test_duplicates_updated(self):
        "A row with an existing customer's number updates that customer"
        job, parties = self.import_twice('update')
        self.assertEqual((job.state, job.created, job.updated), ('done', 0, 1))
        party, = parties
        self.assertEqual((party.name, party.customer_level),
            ("Wang Fang (new)", 'individual'))
        self.assertEqual(party.cc_attributes['gender'], 'female')
        self.assertEqual(party.cc_attributes['birthday'], dt.date(2013, 4, 7))
        self.assertEqual(len(party.contact_mechanisms), 1)

    @with_transaction()
    def test_agent_reads_customers_only(self):
        "Agents may not change customers unless the settings allow it"
        pool = Pool()
        Party = pool.get('party.party')
        Configuration = pool.get('callcenter.configuration')
        company = create_company()
        agent = create_user('agent', company, 'group_agent')
        leader = create_user('leader', company, 'group_team_leader')
        with set_company(company):
            party, = Party.create([{'name': "Wang Fang"}])
            with Transaction().set_user(agent.id), \
                    Transaction().set_context(_check_access=True):
                self.assertIn(party, Party.search([]))
                with self.assertRaisesRegex(UserError, "only read"):
                    Party.write([party], {'name': "Changed"})
                with self.assertRaisesRegex(UserError, "only read"):
                    Party.create([{'name': "New"}])
            with Transaction().set_user(leader.id), \
                    Transaction().set_context(_check_access=True):
                Party.write([party], {'name': "By Leader"})
            Configuration.write([Configuration(1)],
                {'agents_edit_customers': True})
            with Transaction().set_user(agent.id), \
                    Transaction().set_context(_check_access=True):
                Party.write([party], {'name': "By Agent"})
        self.assertEqual(party.name, "By Agent")

    @with_transaction()
    def test_agent_cannot_import(self):
        "Agents may not start imports; team leaders may"
        pool = Pool()
        Import = pool.get('callcenter.customer.import')
        company = create_company()
        agent = create_user('agent', company, 'group_agent')
        leader = create_user('leader', company, 'group_team_leader')
        with set_company(company):
            setup_customers()
            values = {'file': xlsx(GOOD[:1]), 'filename': 'a.xlsx',
                'mapping': gender_mapping().id}
            with Transaction().set_user(agent.id), \
                    Transaction().set_context(_check_access=True):
                with self.assertRaises(UserError):
                    Import.create([values])
            with Transaction().set_user(leader.id), \
                    Transaction().set_context(_check_access=True):
                job, = Import.create([values])
                Import.start([job])
                self.assertEqual((job.state, job.created), ('done', 1))

    @with_transaction()
    def test_export_layout_order(self):
        "The export has the layout's columns in the layout's order"
        from ..customer_export import write_xlsx
        pool = Pool()
        Layout = pool.get('callcenter.customer.export.layout')
        Party = pool.get('party.party')
        company = create_company()
        with set_company(company):
            setup_customers()
            run_import(xlsx(GOOD), 'good.xlsx', gender_mapping())
            layout, = Layout.create([{'name': "Calls", 'columns': [
                            ('create', [
                                    {'field': 'mobile', 'sequence': 1},
                                    {'field': 'name', 'sequence': 2,
                                        'header': "Customer"},
                                    {'field': 'customer_level',
                                        'sequence': 3},
                                    ])]}])
            parties = Party.search([('name', 'in', ["Wang Fang"])])
            data = write_xlsx(parties, Layout(layout.id).columns)
        rows = list(openpyxl.load_workbook(io.BytesIO(data)).active.values)
        self.assertEqual(rows, [
                ("Mobile", "Customer", "Customer Level"),
                ("+86 138 1234 5678", "Wang Fang", "VIP")])


del _DBTestCase
