"""Customer tasks (客户任务): the lead lists campaigns dial."""

from trytond.model import Index, ModelSQL, ModelView, Workflow, fields
from trytond.modules.callcenter_base import phone
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction

from . import timezones

FOLLOW_UP_STATES = [
    ('new', "New"),
    ('following', "Following Up"),
    ('callback', "Callback"),
    ('interested', "Interested"),
    ('not_interested', "Not Interested"),
    ('converted', "Converted"),
    ('invalid', "Invalid"),
    ('do_not_call', "Do Not Call"),
    ]
DIAL_STATES = [
    ('ready', "Ready"),
    ('dialing', "Dialing"),
    ('done', "Done"),
    ]
NUMBER_STATES = [
    ('active', "Active"),
    ('invalid', "Invalid"),
    ('do_not_call', "Do Not Call"),
    ('duplicate', "Duplicate"),
    ]


class Task(Workflow, ModelSQL, ModelView):
    "A customer task: a list of leads to call."
    __name__ = 'callcenter.campaign.task'
    __string__ = "Customer Task"
    name = fields.Char("Name", required=True)
    company = fields.Many2One('company.company', "Company", required=True)
    state = fields.Selection([
            ('draft', "Draft"),
            ('open', "Open"),
            ('closed', "Closed"),
            ], "State", readonly=True, required=True,
        help="Campaigns dial the leads of open tasks only.")
    leads = fields.One2Many('callcenter.campaign.lead', 'task', "Leads")
    lead_count = fields.Function(
        fields.Integer("Leads"), 'get_lead_count')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._transitions |= {
            ('draft', 'open'), ('open', 'closed'), ('closed', 'open')}
        cls._buttons.update({
                'open': {'invisible': Eval('state') == 'open',
                    'depends': ['state']},
                'close': {'invisible': Eval('state') != 'open',
                    'depends': ['state']},
                })

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_state():
        return 'draft'

    @classmethod
    def get_lead_count(cls, tasks, name):
        Lead = Pool().get('callcenter.campaign.lead')
        lead = Lead.__table__()
        cursor = Transaction().connection.cursor()
        counts = dict.fromkeys((t.id for t in tasks), 0)
        cursor.execute(*lead.select(lead.task, lead.id.count,
                where=lead.task.in_(list(counts)), group_by=[lead.task]))
        counts.update(cursor)
        return counts

    @classmethod
    @ModelView.button
    @Workflow.transition('open')
    def open(cls, tasks):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('closed')
    def close(cls, tasks):
        pass


class Lead(ModelSQL, ModelView):
    "A customer of a task to call, with their numbers and attempts."
    __name__ = 'callcenter.campaign.lead'
    __string__ = "Lead"
    _rec_name = 'name'
    task = fields.Many2One(
        'callcenter.campaign.task', "Task", required=True,
        ondelete='CASCADE')
    company = fields.Many2One('company.company', "Company", required=True)
    name = fields.Char("Name")
    party = fields.Many2One(
        'party.party', "Customer", ondelete='RESTRICT',
        context={'company': Eval('company', -1)}, depends={'company'},
        help="The customer the lead is about, existing or created.")
    owner = fields.Many2One(
        'res.user', "Owner", ondelete='SET NULL',
        help="The agent who follows the lead up; empty when in the pool.")
    team = fields.Many2One(
        'callcenter.team', "Team", ondelete='SET NULL',
        help="The team the lead is assigned to.")
    follow_up_state = fields.Selection(
        FOLLOW_UP_STATES, "Follow-up State", required=True)
    timezone = fields.Char(
        "Time Zone",
        help="The lead's own time zone (e.g. Asia/Shanghai): the calling "
        "windows apply in it. Derived from the number when empty.")
    dial_state = fields.Selection(
        DIAL_STATES, "Dial State", required=True, readonly=True,
        help="Ready: the dialer may call it; Dialing: a call is under "
        "way; Done: no more attempts in this pass.")
    next_attempt_at = fields.Timestamp(
        "Next Attempt", readonly=True,
        help="Not dialled before this time (recycling delay or callback).")
    attempt_count = fields.Integer(
        "Attempts", readonly=True, help="Attempts in the current pass.")
    pass_number = fields.Integer(
        "Pass", readonly=True, help="1 for the first pass, 2 after the "
        "second pass (二次外呼) and so on.")
    last_attempt_at = fields.Timestamp("Last Attempt", readonly=True)
    reached = fields.Boolean(
        "Reached", readonly=True, help="A person answered at least once.")
    disposition = fields.Many2One(
        'callcenter.campaign.disposition', "Disposition", readonly=True,
        ondelete='SET NULL')
    callback_at = fields.Timestamp("Callback At", readonly=True)
    callback_user = fields.Many2One(
        'res.user', "Callback Agent", readonly=True, ondelete='SET NULL',
        help="The agent the callback comes back to.")
    callback_notified = fields.Boolean("Callback Notified", readonly=True)
    numbers = fields.One2Many(
        'callcenter.campaign.lead.number', 'lead', "Numbers")
    attempts = fields.One2Many(
        'callcenter.campaign.attempt', 'lead', "Attempts", readonly=True)
    notes = fields.Text("Notes")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.task, Index.Equality()),
                    (t.dial_state, Index.Equality()),
                    (t.next_attempt_at,
                        Index.Range(order='ASC NULLS FIRST')),
                    (t.id, Index.Range())),
                Index(t, (t.owner, Index.Equality())),
                Index(t, (t.callback_at, Index.Range()),
                    where=t.callback_notified == False),  # noqa: E712
                })
        cls._order = [('id', 'DESC')]

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_follow_up_state():
        return 'new'

    @staticmethod
    def default_dial_state():
        return 'ready'

    @staticmethod
    def default_attempt_count():
        return 0

    @staticmethod
    def default_pass_number():
        return 1

    @staticmethod
    def default_reached():
        return False

    @staticmethod
    def default_callback_notified():
        return False

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if mode == 'create' and not values.get('timezone'):
            values['timezone'] = cls._get_timezone(values)
        return values

    @classmethod
    def _get_timezone(cls, values):
        "The time zone of a new lead: its first number's, else the company's."
        for action in values.get('numbers') or []:
            if action[0] == 'create':
                for number in action[1]:
                    zone = timezones.of_number(number.get('number'))
                    if zone:
                        return zone
        return timezones.of_company(values.get('company'))


class LeadNumber(ModelSQL, ModelView):
    "A phone number of a lead, with its own attempt history."
    __name__ = 'callcenter.campaign.lead.number'
    __string__ = "Lead Number"
    _rec_name = 'number'
    lead = fields.Many2One(
        'callcenter.campaign.lead', "Lead", required=True,
        ondelete='CASCADE')
    sequence = fields.Integer("Sequence")
    number = fields.Char("Number", required=True)
    key = fields.Char(
        "Key", readonly=True, help="The number in E.164 (or its digits).")
    national = fields.Char(
        "National", readonly=True,
        help="The number as dialled at home (trunk prefix and digits).")
    state = fields.Selection(NUMBER_STATES, "State", required=True)
    next_attempt_at = fields.Timestamp(
        "Next Attempt", readonly=True,
        help="Not dialled before this time (e.g. 72 h after a dropped call).")
    last_outcome = fields.Char("Last Outcome", readonly=True)
    attempts = fields.One2Many(
        'callcenter.campaign.attempt', 'number', "Attempts", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.lead, Index.Equality())),
                Index(t, (t.key, Index.Equality())),
                })
        cls._order = [('lead', 'ASC'), ('sequence', 'ASC NULLS FIRST'),
            ('id', 'ASC')]

    @staticmethod
    def default_state():
        return 'active'

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if 'number' in values:
            values.update(number_keys(values['number']))
        return values


def number_keys(number):
    "The matching columns of a number: its E.164 key and national form."
    region = Pool().get('callcenter.configuration').phone_region()
    key = phone.normalize(number, region)
    return {'key': key, 'national': timezones.national(key, number)}
