"""``callcenter import FILE``: customers from .xlsx, .xls, .csv or .txt.

Runs the import job of ``callcenter_ticket`` in-process through
:func:`callcenter.tryton.call`, as the ``admin`` user of the database, in
one transaction: either every row is imported, or the errors are printed
(row, column, reason) and nothing is. The job stays in Customers ▸
Customer Imports either way. Columns that match no field stop the import
(they are named) unless ``--skip-unmatched``; ``--dry-run`` checks every
row and prints the report without writing anything, not even the job.
The encoding of a CSV file is printed, detected unless ``--encoding``.
"""
import dataclasses
import sys
from pathlib import Path

from . import database, tryton

EXIT_ERRORS = 1
EXIT_USAGE = 2


def run(settings, args) -> int:
    path = Path(args.file)
    if not path.is_file():
        print(f"error: no file {path}")
        return EXIT_USAGE
    if args.db:
        settings = dataclasses.replace(settings, db_name=args.db)
    with database.serving(settings) as server_uri:
        config = tryton.write_config(settings, server_uri,
            settings.var / f'trytond-import-{settings.db_name}.conf')
        outcome = tryton.call(config, settings.db_name, import_file,
            path.name, path.read_bytes(), Options.of(args))
    return report(outcome)


@dataclasses.dataclass(frozen=True)
class Options:
    "The command's options that the import job takes."
    mapping: str = None
    duplicates: str = 'skip'
    dry_run: bool = False
    skip_unmatched: bool = False
    encoding: str = None

    @classmethod
    def of(cls, args):
        return cls(**{f.name: getattr(args, f.name)
                for f in dataclasses.fields(cls)})


def report(outcome) -> int:
    "Print the outcome on stdout; the exit code."
    if outcome.get('usage'):
        print(f"error: {outcome['usage']}")
        return EXIT_USAGE
    if outcome.get('encoding'):
        print(f"encoding: {outcome['encoding']}")
    if outcome['error_count']:
        print(f"{outcome['error_count']} error(s), nothing imported:")
        print(outcome['errors'])
        if outcome['unmatched']:
            print("columns matching no field: "
                + ', '.join(outcome['unmatched'])
                + "; map them with --mapping NAME or pass --skip-unmatched")
        return EXIT_ERRORS
    if outcome['dry_run']:
        print(f"dry run: {outcome['rows']} rows checked, no errors, "
            "nothing written")
    else:
        print(f"imported: {outcome['created']} created, "
            f"{outcome['updated']} updated, {outcome['skipped']} skipped")
    if outcome['unmatched']:
        print("skipped columns: " + ', '.join(outcome['unmatched']))
    if outcome['report']:
        print(outcome['report'])
    return 0


def import_file(pool, filename, data, options):
    "Create and run the job as admin; its outcome as a dict."
    from trytond.transaction import Transaction
    User = pool.get('res.user')
    admin, = User.search([('login', '=', 'admin')])
    with Transaction().set_user(admin.id), Transaction().set_context(
            User.get_preferences(context_only=True)):
        return _import_as_user(pool, filename, data, options)


def _import_as_user(pool, filename, data, options):
    Import = pool.get('callcenter.customer.import')
    Mapping = pool.get('callcenter.customer.import.mapping')
    mapping = None
    if options.mapping:
        found = Mapping.search([('name', '=', options.mapping)])
        if not found:
            return {'usage': f"no import mapping named {options.mapping!r}"}
        mapping, = found
    values = {'file': data, 'filename': filename, 'mapping': mapping,
        'duplicates': options.duplicates,
        'skip_unmatched': options.skip_unmatched, 'columns': None}
    if options.dry_run:
        job = Import(**values)  # never saved: a dry run writes nothing
    else:
        job, = Import.create([{**values,
                    'mapping': mapping.id if mapping else None}])
    result = {}

    def progress(values):
        if not options.dry_run:
            Import.write([job], values)
        result.update(values)
        if 'progress' in values:
            print(f"progress {values['progress']}%", file=sys.stderr,
                flush=True)
    outcome = Import._execute(job, progress, dry_run=options.dry_run,
        encoding=options.encoding)
    return {**result, 'dry_run': options.dry_run,
        'unmatched': outcome.unmatched, 'encoding': outcome.encoding}
