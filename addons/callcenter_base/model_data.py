"""Deactivation and reactivation support, and the rule context of all modules.

Tryton 8.0 deletes a deactivated module's XML records but keeps their
``ir_model_data`` rows, which then point to missing ids: activating the
module again fails with ``ParsingError``. It also deletes the module's
sequences, so numbering would start again at 1 after reactivation, and it
deletes in an order that can break on foreign keys (a sequence type before
its sequence).

Sequences are detached instead of deleted by :class:`KeptOnRemoval` while
their module is removed. Each call-center module calls
:func:`prepare_module_data` from the ``__register__`` of one of its models,
which runs before its XML is loaded: it purges stale rows and gives the
detached sequences back, so each module takes care of itself even when no
other call-center module is active.
"""
from sql import Column, Literal, Table
from sql.functions import CurrentTimestamp

from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction

# ir_model_data.module must name a module, so the rows of the kept records
# wait in a table of their own while their module is deactivated.
KEPT_TABLE = 'callcenter_kept_model_data'
KEPT_COLUMNS = ('module', 'fs_id', 'model', 'db_id', 'noupdate')

model_data = Table('ir_model_data')
kept_data = Table(KEPT_TABLE)
ir_module = Table('ir_module')


def prepare_module_data(module):
    "Purge stale rows and restore kept records before the module's XML."
    create_kept_table()
    if module_state(module) != 'to remove':
        purge_stale_model_data(module)
        restore_kept_records(module)


def module_state(module):
    cursor = Transaction().connection.cursor()
    cursor.execute(*ir_module.select(
            ir_module.state, where=ir_module.name == module))
    row = cursor.fetchone()
    return row[0] if row else 'not activated'


def removed_modules():
    "The call-center modules being deactivated."
    cursor = Transaction().connection.cursor()
    cursor.execute(*ir_module.select(ir_module.name,
            where=(ir_module.state == 'to remove')
            & ir_module.name.like('callcenter\\_%')))
    return [name for name, in cursor]


def create_kept_table():
    cursor = Transaction().connection.cursor()
    cursor.execute(
        'CREATE TABLE IF NOT EXISTS "callcenter_kept_model_data" ('
        '"module" VARCHAR NOT NULL, "fs_id" VARCHAR NOT NULL, '
        '"model" VARCHAR NOT NULL, "db_id" INTEGER NOT NULL, '
        '"noupdate" BOOLEAN, PRIMARY KEY ("module", "fs_id"))')


def keep_records(model, ids):
    """Detach the records of call-center modules being removed.

    Return the ids detached: their ir_model_data rows wait in the kept table.
    """
    modules = removed_modules()
    if not modules or not ids:
        return []
    create_kept_table()
    cursor = Transaction().connection.cursor()
    where = (model_data.module.in_(modules) & (model_data.model == model)
        & model_data.db_id.in_(list(ids)))
    cursor.execute(*model_data.select(model_data.db_id, where=where))
    kept = [db_id for db_id, in cursor]
    columns = [Column(model_data, c) for c in KEPT_COLUMNS]
    cursor.execute(*kept_data.insert(
            [Column(kept_data, c) for c in KEPT_COLUMNS],
            model_data.select(*columns, where=where)))
    cursor.execute(*model_data.delete(where=where))
    return kept


class KeptOnRemoval:
    "Records a call-center module's data refers to: detached, not deleted."
    __slots__ = ()

    @classmethod
    def delete(cls, records):
        kept = set(keep_records(cls.__name__, [r.id for r in records]))
        super().delete([r for r in records if r.id not in kept])


def restore_kept_records(module):
    "Give the kept records back to the module, so its XML updates them."
    cursor = Transaction().connection.cursor()
    columns = [Column(kept_data, c) for c in KEPT_COLUMNS]
    cursor.execute(*model_data.insert(
            [Column(model_data, c) for c in KEPT_COLUMNS]
            + [model_data.create_uid, model_data.create_date],
            kept_data.select(*columns, Literal(0), CurrentTimestamp(),
                where=kept_data.module == module)))
    cursor.execute(*kept_data.delete(where=kept_data.module == module))
    purge_stale_model_data(module)


def purge_stale_model_data(module):
    "Delete ``module``'s ir_model_data rows whose record no longer exists."
    pool = Pool()
    cursor = Transaction().connection.cursor()
    cursor.execute(*model_data.select(
            model_data.model, where=model_data.module == module,
            group_by=[model_data.model]))
    for model_name, in cursor.fetchall():
        try:
            Model = pool.get(model_name)
        except KeyError:
            continue
        if not hasattr(Model, '_table'):
            continue
        table = Model.__table__()
        cursor.execute(*model_data.delete(
                where=(model_data.module == module)
                & (model_data.model == model_name)
                & ~model_data.db_id.in_(table.select(table.id))))


class Rule(metaclass=PoolMeta):
    "Record rules may use the user, their teams and the teams they lead."
    __name__ = 'ir.rule'

    @classmethod
    def _get_context(cls, model_name):
        context = super()._get_context(model_name)
        context.update(cls._get_team_context())
        return context

    @classmethod
    def _get_cache_key(cls, model_names):
        key = super()._get_cache_key(model_names)
        return (*key, Transaction().user)

    @classmethod
    def _get_team_context(cls):
        "Read with SQL: a search would apply rules while computing them."
        pool = Pool()
        team = pool.get('callcenter.team').__table__()
        team_user = pool.get('callcenter.team-res.user').__table__()
        user_id = Transaction().user
        cursor = Transaction().connection.cursor()
        cursor.execute(*team_user.select(
                team_user.team, where=team_user.user == user_id))
        member_of = [t for t, in cursor]
        cursor.execute(*team.select(team.id, where=team.leader == user_id))
        led = [t for t, in cursor]
        team_users = {user_id}
        if led:
            cursor.execute(*team_user.select(
                    team_user.user, where=team_user.team.in_(led)))
            team_users.update(u for u, in cursor)
        return {
            'user_id': user_id,
            'teams': member_of,
            'led_teams': led,
            'team_users': sorted(team_users),
            }
