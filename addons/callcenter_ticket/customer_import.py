"""Customer import jobs: the job of the customer target.

The job itself (checking every row, then writing all or none, progress,
the queue worker) is ``callcenter_base``'s :class:`ImportJobMixin`; the
customer target (``importer/customer.py``) says which fields a column can
fill and how customers are found and written: new customers by the bulk
path (``importer/bulk.py``) when it can store exactly what ``create``
would, else by ``create`` (``importer/write.py``); updates of existing
customers with ``write``.
"""
from trytond.i18n import gettext
from trytond.model import fields
from trytond.pool import Pool
from trytond.pyson import Eval

from trytond.modules.callcenter_base.import_job import ImportJobMixin

from .importer.customer import CustomerTarget


class CustomerImport(ImportJobMixin):
    "An import of customers from an Excel or CSV file."
    __name__ = 'callcenter.customer.import'
    __string__ = "Customer Import"
    mapping = fields.Many2One('callcenter.customer.import.mapping',
        "Mapping", states={'readonly': Eval('state') != 'draft'},
        domain=[('company', '=', Eval('company', -1))],
        help="The saved mapping of columns; without it headers are "
        "matched to the field labels.")

    def get_target(self):
        return CustomerTarget(self)

    @classmethod
    def _existing_report(cls, job, outcome):
        "The customers that rows duplicate, skipped or updated."
        Party = Pool().get('party.party')
        message = f'callcenter_ticket.msg_import_duplicate_{job.duplicates}'
        rows = outcome.existing_rows
        parties = Party.browse([outcome.existing[number] for number, _ in rows])
        lines = [gettext(message, row=number, party=party.rec_name)
            for (number, _), party in zip(rows, parties)]
        return '\n'.join(
            filter(None, [*lines, super()._existing_report(job, outcome)])
            ) or None
