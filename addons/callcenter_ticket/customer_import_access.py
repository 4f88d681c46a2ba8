"""Who may change customers: agents read them unless the settings allow.

``party.party`` has no access rows of its own (sales and stock users keep
their rights), so the call-center rule is a check on modification: a user
who is an agent and not a team leader, QA or admin may not create, write
or delete customers while "Agents May Edit Customers" is off.
"""
from trytond.i18n import gettext
from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction

from .exceptions import CustomerReadOnlyError

EDITOR_GROUPS = ('group_team_leader', 'group_qa', 'group_admin')


class Configuration(metaclass=PoolMeta):
    __name__ = 'callcenter.configuration'
    agents_edit_customers = fields.Boolean("Agents May Edit Customers",
        help="Let agents create, change and delete customers; otherwise "
        "only team leaders, QA and admins may.")

    @classmethod
    def default_agents_edit_customers(cls):
        return False


def may_edit_customers(external=True):
    """Whether the current user may change customers.

    ``external`` is Tryton's flag of a change asked by a user through the
    access-checked API, as opposed to one the server makes itself.
    """
    pool = Pool()
    User = pool.get('res.user')
    ModelData = pool.get('ir.model.data')
    Configuration = pool.get('callcenter.configuration')
    if not external or Transaction().user == 0:
        return True
    groups = set(User.get_groups())
    agent = ModelData.get_id('callcenter_base', 'group_agent')
    editors = {ModelData.get_id('callcenter_base', g) for g in EDITOR_GROUPS}
    if agent not in groups or groups & editors:
        return True
    return bool(Configuration(1).agents_edit_customers)


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'

    @classmethod
    def check_modification(cls, mode, parties, values=None, external=False):
        super().check_modification(
            mode, parties, values=values, external=external)
        if not may_edit_customers(external):
            raise CustomerReadOnlyError(gettext(
                    'callcenter_ticket.msg_customer_read_only'))
