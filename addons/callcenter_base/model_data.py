"""Deactivation and reactivation support, and the rule context of all modules.

Tryton 8.0 deletes a deactivated module's XML records but keeps their
``ir_model_data`` rows, which then point to missing ids: activating the
module again fails with ``ParsingError``. It also deletes the module's
sequences, so numbering would start again at 1 after reactivation, and it
deletes in an order that can break on foreign keys (a sequence type before
its sequence).

Each call-center module calls :func:`prepare_module_data` from the
``__register__`` of one of its models. ``__register__`` runs, for a module
being activated, upgraded or deactivated, before its XML is loaded, so each
module takes care of itself even when no other call-center module is
active.
"""
from sql import Table

from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction

# Records that data refers to and that must outlive a deactivation.
KEPT_MODELS = ('ir.sequence', 'ir.sequence.strict', 'ir.sequence.type')
KEPT_SUFFIX = ':kept'

model_data = Table('ir_model_data')
ir_module = Table('ir_module')


def prepare_module_data(module):
    "Keep, restore or purge ``module``'s model data before its XML loads."
    if module_state(module) == 'to remove':
        keep_records(module)
    else:
        purge_stale_model_data(module)
        restore_kept_records(module)


def module_state(module):
    cursor = Transaction().connection.cursor()
    cursor.execute(*ir_module.select(
            ir_module.state, where=ir_module.name == module))
    row = cursor.fetchone()
    return row[0] if row else 'not activated'


def keep_records(module):
    "Hide the kept records from the deletion of the module's XML records."
    cursor = Transaction().connection.cursor()
    cursor.execute(*model_data.update(
            [model_data.module], [module + KEPT_SUFFIX],
            where=(model_data.module == module)
            & model_data.model.in_(KEPT_MODELS)))


def restore_kept_records(module):
    "Give the kept records back to the module, so its XML updates them."
    cursor = Transaction().connection.cursor()
    cursor.execute(*model_data.update(
            [model_data.module], [module],
            where=model_data.module == module + KEPT_SUFFIX))
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
