"""Lead import: the second target of the base import engine.

A customer task's leads come from .xlsx, .xls, .csv or a .txt of one
number a line. Like the customer import, every row is checked first and
nothing is written when one is wrong; numbers already in the task and
numbers repeated in the file (after their first row) are reported and
skipped, numbers on the company's do-not-call list reported and left out
(never dialled). A lead whose number is one customer's is linked to them.
"""
from trytond.i18n import gettext
from trytond.model import fields
from trytond.modules.callcenter_base.import_job import ImportJobMixin
from trytond.modules.callcenter_base.importer.engine import Target
from trytond.modules.callcenter_base.importer.target import ImportTarget
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .dnc import blocked_numbers

FIELDS = [
    Target('phone', 'phone', ("Phone", "电话", "号码", "电话号码", "手机"),
        required=True),
    Target('phone2', 'phone', ("Second Phone", "备用电话", "电话2")),
    Target('name', 'char', ("Name", "姓名", "客户名称", "名称"),
        max_length=200),
    Target('notes', 'char', ("Notes", "备注")),
    ]


class LeadTarget(ImportTarget):
    "Leads of one customer task, with one or two numbers."
    #: A number twice in a file is reported (``excluded``), not an error:
    #: lead lists bought or merged from several sources repeat numbers.
    unique = ()

    def __init__(self, job):
        self.job = job
        self.task = job.task

    def fields(self):
        return FIELDS

    def headers(self, filename):
        "A .txt file has one number a line and no header row."
        return ['phone'] if (filename or '').lower().endswith('.txt') else None

    def region(self):
        return Pool().get('callcenter.configuration').phone_region()

    def existing(self, rows):
        "Rows whose number is already a lead of the task: row → lead id."
        leads = self._task_numbers([v['phone'] for _, v in rows])
        return {row: leads[v['phone']] for row, v in rows
            if v['phone'] in leads}

    def _task_numbers(self, keys):
        Number = Pool().get('callcenter.campaign.lead.number')
        numbers = Number.search([
                ('lead.task', '=', self.task.id),
                ('key', 'in', keys),
                ])
        return {n.key: n.lead.id for n in numbers}

    def excluded(self, rows):
        """Rows of do-not-call numbers and rows repeating an earlier row's
        number: reported, not written."""
        blocked = blocked_numbers(self.job.company.id, None,
            [v['phone'] for _, v in rows])
        excluded, first = {}, {}
        for row, values in rows:
            number = values['phone']
            if number in blocked:
                excluded[row] = (
                    'callcenter_campaign.msg_lead_import_do_not_call',
                    {'number': number})
            elif number in first:
                excluded[row] = (
                    'callcenter_campaign.msg_lead_import_repeated',
                    {'number': number, 'first': first[number]})
            else:
                first[number] = row
        return excluded

    def create(self, rows, progress, phones):
        Lead = Pool().get('callcenter.campaign.lead')
        leads = Lead.create([dict(self._lead_values(v),
                    party=self._customer(v['phone'])) for _, v in rows])
        if progress:
            progress(len(leads))
        return len(leads)

    @staticmethod
    def _customer(number):
        """The customer whose number it is, when exactly one is: their
        card then opens when the lead is called."""
        Mechanism = Pool().get('party.contact_mechanism')
        parties = Mechanism.match_parties(number)
        return parties[0] if len(parties) == 1 else None

    def _lead_values(self, values):
        numbers = [values[k] for k in ('phone', 'phone2') if values.get(k)]
        return {
            'task': self.task.id,
            'company': self.task.company.id,
            'name': values.get('name') or values['phone'],
            'notes': values.get('notes'),
            'numbers': [('create', [{'number': n, 'sequence': i}
                        for i, n in enumerate(numbers)])],
            }


class LeadImport(ImportJobMixin):
    "An import of leads into a customer task."
    __name__ = 'callcenter.campaign.lead.import'
    __string__ = "Lead Import"
    task = fields.Many2One('callcenter.campaign.task', "Customer Task",
        required=True, states={'readonly': Eval('state') != 'draft'},
        domain=[('company', '=', Eval('company', -1))])

    @classmethod
    def default_task(cls):
        context = Transaction().context
        if context.get('active_model') == 'callcenter.campaign.task':
            return context.get('active_id')

    def get_target(self):
        return LeadTarget(self)

    @classmethod
    def _existing_report(cls, job, outcome):
        "The rows whose number is already in the task, then those left out."
        Lead = Pool().get('callcenter.campaign.lead')
        rows = outcome.existing_rows
        leads = Lead.browse([outcome.existing[n] for n, _ in rows])
        lines = [gettext('callcenter_campaign.msg_lead_import_duplicate',
                row=number, number=values['phone'], lead=lead.rec_name)
            for (number, values), lead in zip(rows, leads)]
        return '\n'.join(filter(None,
                [*lines, super()._existing_report(job, outcome)])) or None
