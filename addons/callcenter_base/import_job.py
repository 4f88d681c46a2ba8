"""Import jobs: the file, the mapping, the outcome and progress.

:class:`ImportJobMixin` is the job of any import target (see
``importer/target.py``); a module declares its job model with it, its
mapping model, and ``get_target``. A job first checks every row; any bad
row makes it fail with all errors listed and nothing written. Otherwise it
writes every record in the same transaction. Small files run at once;
large ones go to the queue worker (``__queue__``) and report their
progress on the job, written in separate short transactions so the web
client sees it while the import's own transaction is still open.

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
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .importer.convert import fold, parse_codes
from .importer.reader import count_rows
from .importer.target import run

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
_STATES = {'readonly': Eval('state') != 'draft'}


class ImportJobMixin(ModelSQL, ModelView):
    "An import of a file into the records of a target."
    __slots__ = ()
    company = fields.Many2One('company.company', "Company", required=True,
        states=_STATES)
    file = fields.Binary("File", filename='filename', required=True,
        states=_STATES, help=".xlsx, .xls, .csv or .txt with a header row.")
    filename = fields.Char("File Name", states=_STATES)
    columns = fields.Text("Columns", readonly=True,
        help="The columns as checked in the wizard: header, field, codes.")
    duplicates = fields.Selection(DUPLICATES, "Duplicates", required=True,
        states=_STATES,
        help="What to do with rows that match an existing record.")
    skip_unmatched = fields.Boolean("Skip Unmatched Columns",
        states=_STATES,
        help="Import the file even if some columns match no field; "
        "otherwise the import lists them and writes nothing.")
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
    def default_skip_unmatched():
        return False

    @staticmethod
    def default_progress():
        return 0

    def get_target(self):
        "The :class:`importer.target.ImportTarget` the job writes."
        raise NotImplementedError

    def engine_mapping(self):
        "The wizard's columns, else the saved mapping, else None (labels)."
        if self.columns:
            return {fold(header): (field, parse_codes(codes))
                for header, field, codes in json.loads(self.columns)}
        mapping = getattr(self, 'mapping', None)
        if mapping:
            return mapping.engine_mapping()
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
    def _execute(cls, job, report, finish=None, dry_run=False,
            encoding=None):
        """Check every row, then write all records or none.

        ``report`` writes progress; ``finish``, the outcome (``report`` by
        default). The outcome of the engine is returned.
        """
        finish = finish or report
        total = max(count_rows(job.filename, job.file), 1)
        report({'state': 'running', 'progress': 0, 'rows': total})
        outcome = run(job.get_target(), job.filename, job.file,
            mapping=job.engine_mapping(), update=job.duplicates == 'update',
            dry_run=dry_run, skip_unmatched=job.skip_unmatched,
            encoding=encoding, total=total,
            progress=lambda percent: report({'progress': percent}))
        if outcome.errors:
            finish(cls._failure(outcome.errors,
                    outcome.rows + len(outcome.errors)))
        elif dry_run:
            finish(cls._checked(job, outcome))
        else:
            finish(cls._done(job, outcome))
        return outcome

    @classmethod
    def _checked(cls, job, outcome):
        "What a dry run found: every row valid, nothing written."
        return {'state': 'draft', 'progress': 0, 'rows': outcome.rows,
            'created': 0, 'updated': 0, 'skipped': 0, 'error_count': 0,
            'errors': None, 'report': cls._existing_report(job, outcome)}

    @classmethod
    def _done(cls, job, outcome):
        return {
            'state': 'done', 'progress': 100, 'rows': outcome.rows,
            'created': outcome.created, 'updated': outcome.updated,
            'skipped': len(outcome.existing_rows) - outcome.updated,
            'error_count': 0, 'errors': None,
            'report': cls._existing_report(job, outcome),
            }

    @classmethod
    def _existing_report(cls, job, outcome):
        "One line per row matching an existing record or left out."
        return '\n'.join(gettext(message, row=row, **params)
            for row, (message, params) in sorted(outcome.excluded.items())
            ) or None

    @classmethod
    def _failure(cls, errors, rows):
        errors = sorted(errors, key=lambda e: e.row)
        lines = [cls.error_message(e) for e in errors[:MAX_LISTED]]
        if len(errors) > MAX_LISTED:
            lines.append(gettext('callcenter_base.msg_import_more_errors',
                    count=len(errors) - MAX_LISTED))
        return {
            'state': 'failed', 'rows': rows, 'created': 0, 'updated': 0,
            'skipped': 0, 'error_count': len(errors),
            'errors': '\n'.join(lines),
            }

    @classmethod
    def error_message(cls, row_error):
        """The translated sentence naming the row, the column and the reason.

        The engine's reasons are messages of this module; a target's own
        are full message ids (``module.msg_…``).
        """
        message = row_error.reason
        if '.' not in message:
            message = f'callcenter_base.msg_import_{message}'
        return gettext(message, row=row_error.row, column=row_error.column,
            **row_error.values)


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
                    'callcenter_base.msg_import_not_committed')})
