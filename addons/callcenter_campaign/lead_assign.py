"""Who works a lead: assignment by a leader, the shared pool (公海)."""
import datetime as dt
from itertools import cycle

from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.modules.callcenter_base.notify import Notice, notify
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .exceptions import PoolLimitError
from .task import FOLLOW_UP_STATES

#: Follow-up states of leads an agent still works (held from the pool).
OPEN_STATES = {'new', 'following', 'callback', 'interested'}


class Configuration(metaclass=PoolMeta):
    __name__ = 'callcenter.configuration'
    lead_pool_limit = fields.Integer(
        "Leads Held from Pool",
        help="How many open leads an agent may hold at once when claiming "
        "from the pool; empty for no limit.")


class Lead(metaclass=PoolMeta):
    __name__ = 'callcenter.campaign.lead'
    callback_due = fields.Function(
        fields.Boolean("Callback Due"), 'get_callback_due',
        searcher='search_callback_due')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'claim': {'invisible': Eval('owner', None) != None,  # noqa
                    'depends': ['owner']},
                'return_to_pool': {
                    'invisible': Eval('owner', None) == None,  # noqa
                    'depends': ['owner']},
                })

    def get_callback_due(self, name):
        return bool(self.callback_at and self.callback_at <= dt.datetime.now())

    @classmethod
    def search_callback_due(cls, name, clause):
        _, operator, value = clause
        due = [('callback_at', '!=', None),
            ('callback_at', '<=', dt.datetime.now())]
        if (operator == '=') == bool(value):
            return due
        return ['OR', ('callback_at', '=', None),
            ('callback_at', '>', dt.datetime.now())]

    @classmethod
    @ModelView.button
    def claim(cls, leads):
        "Take leads from the pool, within the number an agent may hold."
        user = Transaction().user
        leads = [l for l in leads if not l.owner]
        cls.check_pool_limit(user, len(leads))
        cls.write(leads, {'owner': user})

    @classmethod
    @ModelView.button
    def return_to_pool(cls, leads):
        "Give leads back to the pool for anyone to claim."
        cls.write(leads, {'owner': None})

    @classmethod
    def check_pool_limit(cls, user_id, adding):
        Configuration = Pool().get('callcenter.configuration')
        limit = Configuration(1).lead_pool_limit
        if not limit or not adding:
            return
        with without_check_access():
            held = cls.search_count([
                    ('owner', '=', user_id),
                    ('follow_up_state', 'in', list(OPEN_STATES)),
                    ])
        if held + adding > limit:
            raise PoolLimitError(gettext(
                    'callcenter_campaign.msg_pool_limit',
                    limit=limit, held=held))

    @classmethod
    def notify_callbacks_due(cls, now=None):
        "Tell each agent of their callbacks now due (a cron job)."
        now = now or dt.datetime.now()
        with without_check_access():
            leads = cls.search([
                    ('callback_at', '<=', now),
                    ('callback_notified', '=', False),
                    ])
            notices = [Notice(lead.callback_user or lead.owner, lead,
                    gettext('callcenter_campaign.msg_callback_due',
                        lead=lead.rec_name))
                for lead in leads if lead.callback_user or lead.owner]
            if notices:
                notify(notices, bus_type='callcenter.campaign.callback')
            cls.write(leads, {'callback_notified': True})
        return leads


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.append(
            ('callcenter.campaign.lead|notify_callbacks_due',
                "Notify Callbacks Due"))


class AssignStart(ModelView):
    "How to assign the leads selected."
    __name__ = 'callcenter.campaign.lead.assign.start'
    method = fields.Selection([
            ('evenly', "Evenly to Agents"),
            ('by_state', "By Count per Follow-up State"),
            ('team', "To a Team"),
            ], "Method", required=True)
    users = fields.Many2Many('res.user', None, None, "Agents",
        states={'invisible': Eval('method') == 'team',
            'required': Eval('method') != 'team'})
    follow_up_state = fields.Selection(FOLLOW_UP_STATES, "Follow-up State",
        states={'invisible': Eval('method') != 'by_state',
            'required': Eval('method') == 'by_state'})
    count = fields.Integer("Leads per Agent",
        states={'invisible': Eval('method') != 'by_state',
            'required': Eval('method') == 'by_state'})
    team = fields.Many2One('callcenter.team', "Team",
        states={'invisible': Eval('method') != 'team',
            'required': Eval('method') == 'team'})

    @staticmethod
    def default_method():
        return 'evenly'

    @staticmethod
    def default_follow_up_state():
        return 'new'


class Assign(Wizard):
    "Assign leads to agents or to a team."
    __name__ = 'callcenter.campaign.lead.assign'
    start = StateView('callcenter.campaign.lead.assign.start',
        'callcenter_campaign.lead_assign_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Assign", 'assign', 'tryton-ok', default=True),
            ])
    assign = StateTransition()

    def transition_assign(self):
        Lead = Pool().get('callcenter.campaign.lead')
        leads = sorted(self.records, key=lambda l: l.id)
        method = self.start.method
        if method == 'team':
            Lead.write(leads, {'team': self.start.team.id, 'owner': None})
        else:
            if method == 'by_state':
                leads = self._by_state(leads)
            args = assign_evenly(leads, self.start.users)
            if args:
                Lead.write(*args)
        return 'end'

    def _by_state(self, leads):
        wanted = self.start.count * len(self.start.users)
        return [l for l in leads if not l.owner
            and l.follow_up_state == self.start.follow_up_state][:wanted]


def assign_evenly(leads, users):
    "Write arguments giving ``leads`` to ``users`` in turn."
    if not users:
        return []
    shares = {u.id: [] for u in users}
    for lead, user in zip(leads, cycle(shares)):
        shares[user].append(lead)
    args = []
    for user, share in shares.items():
        if share:
            args.extend([share, {'owner': user}])
    return args
