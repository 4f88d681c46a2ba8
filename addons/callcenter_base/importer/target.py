"""What an import writes, declared once per model, and the run of a file.

A module that imports records of one of its models declares an
:class:`ImportTarget`: the fields a column can fill (``fields``) and the
hooks that find the records a row is already (``existing``), check rows
against each other and the database (``check``), and write them
(``create``, ``update``). :func:`run` does the rest for every target: it
reads and checks the whole file with the engine, asks the target, and
writes nothing when a single row is wrong.

``doc/index.rst`` (*Import engine*) shows a target of a second model.
"""
import dataclasses

from .engine import validate


class ImportTarget:
    "The model an import writes; subclass it and override the hooks."

    # the kinds of field a file may hold each value of once
    unique = ('phone',)

    def fields(self):
        "The :class:`engine.Target` of every field a column can fill."
        raise NotImplementedError

    def headers(self, filename):
        """The headers of a file that has no header row, else None.

        A lead list in .txt has one number a line: ``['phone']``.
        """
        return None

    def region(self):
        "The country code numbers without a country prefix are read in."
        return None

    def existing(self, rows):
        "Row number → id of the record each row already is, if any."
        return {}

    def check(self, rows, columns):
        "The :class:`engine.RowError` of rows valid alone but not together."
        return []

    def excluded(self, rows):
        """Row number → (message id, params) of valid rows left out on
        purpose and reported, not written (a do-not-call number)."""
        return {}

    def create(self, rows, progress, phones):
        """Write new records from ``[(row number, values)]``; their count.

        ``progress(done)`` after each batch; ``phones`` maps the E.164
        numbers of the rows to their international format.
        """
        raise NotImplementedError

    def update(self, rows, existing):
        "Write the rows on the records they are (``existing``); the count."
        return 0


@dataclasses.dataclass
class Outcome:
    "What an import did, or would do (``dry_run``), with a file."
    rows: int = 0
    errors: list = dataclasses.field(default_factory=list)
    existing: dict = dataclasses.field(default_factory=dict)
    existing_rows: list = dataclasses.field(default_factory=list)
    excluded: dict = dataclasses.field(default_factory=dict)
    created: int = 0
    updated: int = 0
    unmatched: list = dataclasses.field(default_factory=list)
    encoding: str = None


def run(target, filename, data, mapping=None, update=False, dry_run=False,
        skip_unmatched=False, encoding=None, progress=None, total=1):
    """Check every row of the file, then write all or, on any error, none.

    ``progress(percent)``: up to 50 while checking, then up to 99 while
    writing; ``total`` is about how many rows the file has.
    """
    checked = validate(filename, data, target.fields(), mapping=mapping,
        headers=target.headers(filename),
        region=target.region(), skip_unmatched=skip_unmatched,
        encoding=encoding, unique=target.unique,
        progress=progress and (lambda done: progress(
                min(50 * done // total, 50))))
    outcome = Outcome(rows=len(checked.rows), unmatched=checked.unmatched,
        encoding=checked.encoding)
    outcome.excluded = target.excluded(checked.rows)
    rows = [r for r in checked.rows if r[0] not in outcome.excluded]
    outcome.existing = target.existing(rows)
    new = [r for r in rows if r[0] not in outcome.existing]
    outcome.existing_rows = [r for r in rows if r[0] in outcome.existing]
    outcome.errors = checked.errors + target.check(new, checked.columns)
    if outcome.errors or dry_run:
        return outcome
    if update:
        outcome.updated = target.update(
            outcome.existing_rows, outcome.existing)
    outcome.created = target.create(new, progress and (lambda done:
            progress(50 + min(50 * done // total, 49))), checked.phones)
    return outcome
