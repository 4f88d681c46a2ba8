"""Customer import jobs: the file, the mapping, the outcome and progress.

A job first checks every row; any bad row makes it fail with all errors
listed and nothing written. Otherwise it writes every customer in the
same transaction. Small files run at once; large ones go to the queue
worker (``__queue__``) and report their progress on the job, written in
separate short transactions so the web client sees it while the import's
own transaction is still open.

New customers are written by the bulk path (``customer_import_bulk``) when
it can store exactly what ``create`` would, else by ``create``
(``customer_import_write``); updates of existing customers use ``write``.

In the worker, the outcome (*Done*, or *Failed* with the errors) is
written once the import's transaction has committed, so that a job never
says *Done* for rows that were rolled back. It cannot be written inside
that transaction: the progress, committed apart meanwhile, changed the
job's row, and PostgreSQL refuses a second change of it in a repeatable
read transaction. If the commit fails, the job says *Failed*.
"""
import json

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.tools import grouped_slice
from trytond.transaction import Transaction

from . import customer_import_bulk as bulk
from . import customer_import_write as write
from .customer_import_write import BATCH
from .customer_import_mapping import parse_codes
from .customer_import_target import get_targets
from .import_convert import fold
from .import_engine import error, validate
from .import_reader import count_rows

STATES = [
    ('draft', "Draft"),
    ('queued', "Queued"),
    ('running', "Running"),
    ('done', "Done"),
    ('failed', "Failed"),
    ]
DUPLICATES = [
    ('skip', "Skip"),
    ('update', "Update"),
    ]
QUEUE_ABOVE = 256 * 1024  # bytes: larger files are imported by the worker
MAX_LISTED = 1000


class CustomerImport(ModelSQL, ModelView):
    "An import of customers from an Excel or CSV file."
    __name__ = 'callcenter.customer.import'
    __string__ = "Customer Import"
    _states = {'readonly': Eval('state') != 'draft'}
    company = fields.Many2One('company.company', "Company", required=True,
        states=_states)
    file = fields.Binary("File", filename='filename', required=True,
        states=_states, help=".xlsx, .xls or .csv with a header row.")
    filename = fields.Char("File Name", states=_states)
    mapping = fields.Many2One('callcenter.customer.import.mapping',
        "Mapping", states=_states,
        domain=[('company', '=', Eval('company', -1))],
        help="The saved mapping of columns; without it headers are "
        "matched to the field labels.")
    columns = fields.Text("Columns", readonly=True,
        help="The columns as checked in the wizard: header, field, codes.")
    duplicates = fields.Selection(DUPLICATES, "Duplicates", required=True,
        states=_states,
        help="What to do with rows whose phone number belongs to an "
        "existing customer.")
    state = fields.Selection(STATES, "State", readonly=True)
    progress = fields.Integer("Progress (%)", readonly=True)
    rows = fields.Integer("Rows", readonly=True)
    created = fields.Integer("Created", readonly=True)
    updated = fields.Integer("Updated", readonly=True)
    skipped = fields.Integer("Skipped", readonly=True)
    error_count = fields.Integer("Errors", readonly=True)
    errors = fields.Text("Error Report", readonly=True,
        help="Every bad row with its column and the reason.")
    report = fields.Text("Duplicates Report", readonly=True)
    del _states

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order.insert(0, ('create_date', 'DESC'))
        cls._buttons.update({
                'start': {
                    'invisible': Eval('state') != 'draft',
                    'depends': ['state'],
                    },
                })

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_state():
        return 'draft'

    @staticmethod
    def default_duplicates():
        return 'skip'

    @staticmethod
    def default_progress():
        return 0

    def engine_mapping(self):
        "The wizard's columns, else the saved mapping, else None (labels)."
        if self.columns:
            return {fold(header): (field, parse_codes(codes))
                for header, field, codes in json.loads(self.columns)}
        if self.mapping:
            return self.mapping.engine_mapping()
        return None

    def get_rec_name(self, name):
        return self.filename or str(self.id)

    @classmethod
    @ModelView.button
    def start(cls, imports):
        "Import small files now and queue the others."
        small = [i for i in imports if len(i.file or b'') <= QUEUE_ABOVE]
        cls.run(small)
        large = [i for i in imports if i not in small]
        if large:
            cls.write(large, {'state': 'queued'})
            cls.__queue__.run_queued(large)

    @classmethod
    def run(cls, imports):
        "Import in this transaction, the outcome written on the job."
        for job in imports:
            cls._execute(job, lambda values, job=job: cls.write([job], values))

    @classmethod
    def run_queued(cls, imports):
        "Import in the worker, progress committed apart as it goes."
        for job in imports:
            report = cls._reporter(job.id)
            try:
                cls._execute(job, report, finish=lambda values, report=report:
                    Transaction().join(_AfterCommit(report, values)))
            except Exception as exception:
                # the worker rolls the import back: say so on the job
                report({'state': 'failed', 'created': 0, 'updated': 0,
                        'errors': str(exception)})
                raise

    @classmethod
    def _reporter(cls, job_id):
        def report(values):
            with Transaction().new_transaction() as transaction:
                cls.write([cls(job_id)], values)
                transaction.commit()
        return report

    @classmethod
    def _execute(cls, job, report, finish=None):
        """Check every row, then write all customers or none.

        ``report`` writes progress; ``finish``, the outcome (``report`` by
        default).
        """
        finish = finish or report
        total = max(count_rows(job.filename, job.file), 1)
        report({'state': 'running', 'progress': 0, 'rows': total})
        checked = validate(job.filename, job.file, get_targets(),
            mapping=job.engine_mapping(),
            region=cls._region(), progress=lambda done: report(
                {'progress': min(50 * done // total, 50)}))
        duplicates = write.find_duplicates(checked.rows)
        errors = checked.errors + cls._code_conflicts(
            checked, [r for r in checked.rows if r[0] not in duplicates])
        if errors:
            finish(cls._failure(errors, len(checked.rows) + len(errors)))
            return
        finish(cls._write(job, checked.rows, duplicates, lambda done: report(
                    {'progress': 50 + min(50 * done // total, 49)}),
                phones=checked.phones))

    @classmethod
    def _write(cls, job, rows, duplicates, progress, phones=None):
        new = [r for r in rows if r[0] not in duplicates]
        old = [r for r in rows if r[0] in duplicates]
        updated = 0
        if job.duplicates == 'update':
            updated = write.update_customers(old, duplicates)
        if bulk.supported():
            created = bulk.create_customers(new, progress, phones)
        else:
            created = write.create_customers(new, progress)
        return {
            'state': 'done', 'progress': 100, 'rows': len(rows),
            'created': created, 'updated': updated,
            'skipped': len(old) - updated, 'error_count': 0, 'errors': None,
            'report': cls._duplicates_report(old, duplicates, job.duplicates),
            }

    @classmethod
    def _failure(cls, errors, rows):
        errors = sorted(errors, key=lambda e: e.row)
        lines = [cls.error_message(e) for e in errors[:MAX_LISTED]]
        if len(errors) > MAX_LISTED:
            lines.append(gettext('callcenter_ticket.msg_import_more_errors',
                    count=len(errors) - MAX_LISTED))
        return {
            'state': 'failed', 'rows': rows, 'created': 0, 'updated': 0,
            'skipped': 0, 'error_count': len(errors),
            'errors': '\n'.join(lines),
            }

    @classmethod
    def error_message(cls, row_error):
        "The translated sentence naming the row, the column and the reason."
        return gettext(f'callcenter_ticket.msg_import_{row_error.reason}',
            row=row_error.row, column=row_error.column, **row_error.values)

    @classmethod
    def _duplicates_report(cls, rows, duplicates, policy):
        Party = Pool().get('party.party')
        message = f'callcenter_ticket.msg_import_duplicate_{policy}'
        parties = Party.browse([duplicates[number] for number, _ in rows])
        return '\n'.join(gettext(message, row=number, party=party.rec_name)
            for (number, _), party in zip(rows, parties)) or None

    @classmethod
    def _code_conflicts(cls, checked, rows):
        "Codes of new customers used twice or by an existing customer."
        Party = Pool().get('party.party')
        header = next((c.header for c in checked.columns
                if c.target.name == 'code'), 'Code')
        codes, errors = {}, []
        for number, values in rows:
            code = values.get('code')
            if code and code in codes:
                errors.append(error(number, header, 'code_twice',
                        value=code, other=codes[code]))
            elif code:
                codes[code] = number
        for chunk in grouped_slice(sorted(codes), BATCH):
            for party in Party.search([('code', 'in', list(chunk))]):
                errors.append(error(codes[party.code], header, 'code_taken',
                        value=party.code, party=party.rec_name))
        return errors

    @classmethod
    def _region(cls):
        "The country of numbers without a country code (the settings')."
        return Pool().get('callcenter.configuration').phone_region()


class _AfterCommit:
    """Writes a job's outcome after the import's transaction committed.

    Joined to the transaction as a data manager: ``tpc_finish`` runs once
    the rows are committed, ``tpc_abort`` when they are rolled back.
    """

    def __init__(self, report, values):
        self.report = report
        self.values = values

    def tpc_begin(self, transaction):
        pass

    def commit(self, transaction):
        pass

    def tpc_vote(self, transaction):
        pass

    def tpc_finish(self, transaction):
        self.report(self.values)

    def tpc_abort(self, transaction):
        self.report({'state': 'failed', 'created': 0, 'updated': 0,
                'errors': gettext(
                    'callcenter_ticket.msg_import_not_committed')})
