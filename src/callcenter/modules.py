"""Activate and deactivate modules the way an admin does in the web client.

Administration ▸ Modules: the *Activate* / *Deactivate* buttons mark the
modules, then *Perform Pending Activation/Upgrade* updates the pool. This
runs the same two steps, so it meets the same checks (a module that an
active module depends on cannot be deactivated).
"""
import sys

from trytond.pool import Pool

from . import tryton


def change(config, db_name: str, action: str, names) -> list[str]:
    "Apply ``action`` ('activate' or 'deactivate') to the named modules."
    pending, languages = tryton.call(config, db_name, _mark, action, names)
    if pending:
        Pool(db_name).init(update=pending, lang=languages)
    return pending


def _mark(pool, action, names):
    "Press the button; return the pending modules and the languages."
    Module = pool.get('ir.module')
    modules = Module.search([('name', 'in', list(names))])
    missing = set(names) - {m.name for m in modules}
    if missing:
        raise LookupError(f"unknown modules: {', '.join(sorted(missing))}")
    getattr(Module, action)(modules)
    pending = [m.name for m in Module.search([
                ('state', 'in', ['to upgrade', 'to remove', 'to activate'])])]
    languages = [lang.code for lang in pool.get('ir.lang').search([
                ('translatable', '=', True)])]
    return pending, languages


def main(argv) -> None:
    "python -m callcenter.modules CONFIG DATABASE activate|deactivate NAME…"
    config, db_name, action, *names = argv
    print(' '.join(change(config, db_name, action, names)))


if __name__ == '__main__':
    main(sys.argv[1:])
