"Lead import: all or nothing, duplicates and do-not-call numbers reported."
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import _DBTestCase, with_transaction

from .tools import SHANGHAI, create_task


class LeadImportTestCase(_DBTestCase):
    "Test the lead import"
    module = 'callcenter_campaign'

    def _import(self, task, filename, text):
        LeadImport = Pool().get('callcenter.campaign.lead.import')
        job, = LeadImport.create([{'task': task.id, 'filename': filename,
                    'file': text.encode('utf-8')}])
        LeadImport.start([job])
        return job

    def _numbers(self, task):
        return sorted(n.key for l in task.leads for n in l.numbers)

    @with_transaction()
    def test_csv_reports_duplicates_and_do_not_call(self):
        "Numbers in the task and do-not-call numbers are reported, not added"
        DoNotCall = Pool().get('callcenter.campaign.dnc')
        with set_company(create_company()):
            task = create_task("Import", SHANGHAI)
            DoNotCall.create([{'number': '+86139', 'prefix': True}])
            job = self._import(task, 'leads.csv',
                "姓名,电话,备用电话\n"
                "Wang,+8613800138000,\n"
                "Li,+8613900001111,\n"
                "Zhao,+8613700002222,+8613600003333\n")
            self.assertEqual(job.state, 'done')
            self.assertEqual((job.created, job.skipped), (1, 1))
            self.assertIn('Row 2', job.report)
            self.assertIn('Row 3', job.report)
            self.assertIn('do-not-call', job.report)
            self.assertEqual(self._numbers(task), [
                    '+8613600003333', '+8613700002222', SHANGHAI])
            zhao, = [l for l in task.leads if l.name == 'Zhao']
            self.assertEqual(zhao.timezone, 'Asia/Shanghai')

    @with_transaction()
    def test_number_repeated_in_file_is_reported(self):
        "A number twice in a file makes one lead; the repeat is reported"
        with set_company(create_company()):
            task = create_task("Import")
            job = self._import(task, 'leads.csv',
                "Name,Phone\nWang,+8613800138000\nLi,+8613900001111\n"
                "Wang again,+86 138 0013 8000\n")
            self.assertEqual((job.state, job.created), ('done', 2))
            self.assertIn("Row 4", job.report)
            self.assertIn("repeats row 2", job.report)
            self.assertEqual([l.name for l in task.leads if
                    l.numbers[0].key == '+8613800138000'], ['Wang'])

    @with_transaction()
    def test_lead_of_a_known_number_is_linked_to_the_customer(self):
        "A number of one existing customer links the lead to them"
        Party = Pool().get('party.party')
        with set_company(create_company()):
            known, = Party.create([{'name': "Known",
                        'contact_mechanisms': [('create', [{'type': 'mobile',
                                        'value': '+8613800138000'}])]}])
            task = create_task("Import")
            self._import(task, 'numbers.txt',
                "+8613800138000\n+8613900001111\n")
            self.assertEqual(
                {l.numbers[0].key: l.party for l in task.leads},
                {'+8613800138000': known, '+8613900001111': None})

    @with_transaction()
    def test_bad_row_writes_nothing(self):
        "One bad number fails the whole file with the row named"
        with set_company(create_company()):
            task = create_task("Import")
            job = self._import(task, 'leads.csv',
                "Name,Phone\nWang,+8613800138000\nLi,not a number\n")
            self.assertEqual(job.state, 'failed')
            self.assertIn('3', job.errors)
            self.assertEqual(task.leads, ())

    @with_transaction()
    def test_txt_one_number_a_line(self):
        "A .txt file of one number a line makes one lead per number"
        with set_company(create_company()):
            task = create_task("Import")
            job = self._import(task, 'numbers.txt',
                "+8613800138000\n+8613900001111\n+8613700002222\n")
            self.assertEqual((job.state, job.created), ('done', 3))
            self.assertEqual(len(self._numbers(task)), 3)
