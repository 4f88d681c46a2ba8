"Customer import rules as users meet them: levels, columns, lengths."
from pathlib import Path

from trytond.exceptions import UserError
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import _DBTestCase, with_transaction
from trytond.transaction import Transaction

from .test_import import party_count, run_import, setup_customers, xlsx
from .tools import create_user

LOCALE = Path(__file__).resolve().parents[1] / 'locale' / 'zh_CN.po'


def load_chinese():
    "The module's zh_CN translations, as a database with Chinese has them."
    pool = Pool()
    Lang = pool.get('ir.lang')
    Translation = pool.get('ir.translation')
    chinese, = Lang.search([('code', '=', 'zh_CN')])
    Lang.write([chinese], {'translatable': True})
    Translation.translation_import('zh_CN', 'callcenter_ticket', str(LOCALE))


def levels(job):
    Party = Pool().get('party.party')
    return [p.customer_level for p in Party.search(
            [('name', 'like', 'Level %')], order=[('name', 'ASC')])]


class CustomerImportRulesTestCase(_DBTestCase):
    "Test the customer import's rules on levels, columns and lengths"
    module = 'callcenter_ticket'

    @with_transaction()
    def test_level_labels_read_naturally(self):
        "The Chinese labels of the levels are 潜在客户, 个人客户, 企业客户, VIP客户"
        Party = Pool().get('party.party')
        load_chinese()
        with Transaction().set_context(language='zh_CN'):
            selection = Party.fields_get(
                ['customer_level'])['customer_level']['selection']
        self.assertEqual([label for value, label in selection if value],
            ["潜在客户", "个人客户", "企业客户", "VIP客户"])

    @with_transaction()
    def test_level_common_forms(self):
        "「VIP客户」, 「VIP」, 'vip', English labels and codes all match"
        load_chinese()
        company = create_company()
        leader = create_user('leader', company, 'group_team_leader')
        forms = ["VIP客户", "VIP", "vip", "Corporate", "企业客户", "企业",
            "个人", "potential"]
        rows = [[f"Level {i}", form] for i, form in enumerate(forms)]
        with set_company(company), Transaction().set_user(leader.id):
            job = run_import(xlsx(rows, ["Name", "客户级别"]), 'levels.xlsx')
            self.assertEqual((job.state, job.errors), ('done', None))
            self.assertEqual(levels(job), ['vip', 'vip', 'vip', 'corporate',
                    'corporate', 'corporate', 'individual', 'potential'])

    @with_transaction()
    def test_unmatched_columns_listed_before_writing(self):
        "Columns matching no field fail the import, named, nothing written"
        company = create_company()
        leader = create_user('leader', company, 'group_team_leader')
        header = ["Name", "Mobile", "Gender", "Company", "Note"]
        rows = [["Wang Fang", "13812345678", "Male", "ACME", "call back"]]
        with set_company(company):
            setup_customers()
        with set_company(company), Transaction().set_user(leader.id):
            before = party_count()
            job = run_import(xlsx(rows, header), 'columns.xlsx')
            self.assertEqual((job.state, job.created), ('failed', 0))
            self.assertEqual(job.errors.splitlines(), [
                    f'Column "{h}" matches no field; map it to a field, '
                    'create a custom field for it, or skip it explicitly.'
                    for h in ["Company", "Note"]])
            self.assertEqual(party_count(), before)
            Import = Pool().get('callcenter.customer.import')
            job, = Import.create([{'file': xlsx(rows, header),
                        'filename': 'skip.xlsx', 'skip_unmatched': True}])
            Import.start([job])
            self.assertEqual((job.state, job.created), ('done', 1))

    @with_transaction()
    def test_text_longer_than_limit(self):
        "A 10,000-character note is a row error naming row and column"
        pool = Pool()
        Attribute = pool.get('callcenter.attribute')
        company = create_company()
        leader = create_user('leader', company, 'group_team_leader')
        with set_company(company):
            Attribute.create([
                    {'name': 'note', 'string': "Note", 'type_': 'char'}])
        rows = [["Wang Fang", "short note"], ["Li Qiang", "x" * 10_000],
            ["名" * 201, ""]]
        with set_company(company), Transaction().set_user(leader.id):
            before = party_count()
            job = run_import(xlsx(rows, ["Name", "Note"]), 'long.xlsx')
            self.assertEqual(job.state, 'failed')
            self.assertEqual(job.errors.splitlines(), [
                    'Row 3, column "Note": the text has 10000 characters; '
                    'at most 1000 are allowed.',
                    'Row 4, column "Name": the text has 201 characters; at '
                    'most 200 are allowed.'])
            self.assertEqual(party_count(), before)

    @with_transaction()
    def test_wizard_asks_for_unmatched_columns(self):
        "A leader maps, creates a custom field for or skips each column"
        pool = Pool()
        Wizard = pool.get('callcenter.customer.import.wizard', type='wizard')
        Party = pool.get('party.party')
        Attribute = pool.get('callcenter.attribute')
        company = create_company()
        leader = create_user('leader', company, 'group_team_leader')
        header = ["姓名", "手机", "首次来电", "Company", "备注"]
        rows = [["王芳", "+8613812345678", "2013-04-07", "ACME", "回访"]]
        with set_company(company), Transaction().set_user(leader.id), \
                Transaction().set_context(_check_access=True):
            session_id, _, _ = Wizard.create()
            wizard = Wizard(session_id)
            wizard.start.file = xlsx(rows, header)
            wizard.start.filename = 'first.xlsx'
            wizard.start.mapping = None
            wizard.start.duplicates = 'skip'
            lines = wizard.default_map_(None)['lines']
            self.assertEqual([(l['header'], l['action'], l['field'])
                    for l in lines], [
                    ("姓名", 'field', 'name'), ("手机", 'field', 'mobile'),
                    ("首次来电", None, None), ("Company", None, None),
                    ("备注", None, None)])
            wizard.map_.lines = [_line(l) for l in lines]
            wizard.map_.save_as = None
            with self.assertRaisesRegex(UserError,
                    '"首次来电", "Company", "备注" match no field'):
                wizard.transition_import_()
            self.assertEqual(Party.search([('name', '=', "王芳")]), [])
            first, company_, note = wizard.map_.lines[2:]
            first.action = 'create'
            company_.action = 'skip'
            note.action, note.field = 'field', 'street'
            wizard.transition_import_()
            self.assertEqual(
                (wizard.map_.job.state, wizard.map_.job.errors), ('done', None))
            wang, = Party.search([('name', '=', "王芳")])
            self.assertEqual(wang.cc_attributes, {'首次来电': "2013-04-07"})
            self.assertEqual(wang.addresses[0].street_unstructured, "回访")
            field, = Attribute.search([('name', '=', '首次来电')])
            self.assertEqual((field.string, field.type_),
                ("首次来电", 'char'))


def _line(values):
    Line = Pool().get('callcenter.customer.import.map.line')
    return Line(**{"codes": None, **values})


del _DBTestCase
