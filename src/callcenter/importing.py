"""``callcenter import FILE``: customers from .xlsx, .xls or .csv.

Runs the import job of ``callcenter_ticket`` in-process through
:func:`callcenter.tryton.call`, as the ``admin`` user of the database, in
one transaction: either every row is imported, or the errors are printed
(row, column, reason) and nothing is. The job stays in Customers ▸
Customer Imports either way.
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
            path.name, path.read_bytes(), args.mapping, args.duplicates)
    return report(outcome)


def report(outcome) -> int:
    "Print the outcome on stdout; the exit code."
    if outcome.get('usage'):
        print(f"error: {outcome['usage']}")
        return EXIT_USAGE
    if outcome['state'] != 'done':
        print(f"{outcome['error_count']} error(s), nothing imported:")
        print(outcome['errors'])
        return EXIT_ERRORS
    print(f"imported: {outcome['created']} created, {outcome['updated']} "
        f"updated, {outcome['skipped']} skipped")
    if outcome['report']:
        print(outcome['report'])
    return 0


def import_file(pool, filename, data, mapping_name, duplicates):
    "Create and run the job as admin; its outcome as a dict."
    from trytond.transaction import Transaction
    User = pool.get('res.user')
    admin, = User.search([('login', '=', 'admin')])
    with Transaction().set_user(admin.id), Transaction().set_context(
            User.get_preferences(context_only=True)):
        return _import_as_user(pool, filename, data, mapping_name,
            duplicates)


def _import_as_user(pool, filename, data, mapping_name, duplicates):
    Import = pool.get('callcenter.customer.import')
    Mapping = pool.get('callcenter.customer.import.mapping')
    mapping = None
    if mapping_name:
        found = Mapping.search([('name', '=', mapping_name)])
        if not found:
            return {'usage': f"no import mapping named {mapping_name!r}"}
        mapping, = found
    job, = Import.create([{
                'file': data, 'filename': filename,
                'mapping': mapping.id if mapping else None,
                'duplicates': duplicates,
                }])

    def progress(values):
        Import.write([job], values)
        if 'progress' in values:
            print(f"progress {values['progress']}%", file=sys.stderr,
                flush=True)
    Import._execute(job, progress)
    return {name: getattr(job, name) for name in (
            'state', 'created', 'updated', 'skipped', 'error_count',
            'errors', 'report')}
