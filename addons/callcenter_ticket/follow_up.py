"""Follow-ups of customers by agents, with reminders of the next action."""
import datetime as dt

from trytond.i18n import gettext
from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.modules.callcenter_base.notify import Notice, notify
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access

SALES_STAGES = [
    ('new', "New"),
    ('contacted', "Contacted"),
    ('interested', "Interested"),
    ('negotiating', "Negotiating"),
    ('won', "Won"),
    ('lost', "Lost"),
    ]
CHANNELS = [
    ('phone', "Phone"),
    ('email', "Email"),
    ('sms', "SMS"),
    ('chat', "Chat"),
    ('visit', "Visit"),
    ('other', "Other"),
    ]


class FollowUp(ModelSQL, ModelView):
    "A contact with a customer, and the next action it calls for."
    __name__ = 'callcenter.customer.follow_up'
    __string__ = "Follow-up"
    company = fields.Many2One('company.company', "Company", required=True)
    party = fields.Many2One(
        'party.party', "Customer", required=True, ondelete='CASCADE',
        context={'company': Eval('company', -1)}, depends={'company'})
    date = fields.DateTime("Date", required=True)
    agent = fields.Many2One('res.user', "Agent", required=True)
    channel = fields.Selection(CHANNELS, "Channel", required=True)
    note = fields.Text("Note")
    stage = fields.Selection([(None, "")] + SALES_STAGES, "Sales Stage",
        help="The customer's sales stage after this contact; it is copied "
        "to the customer.")
    next_action = fields.Char("Next Action")
    next_action_date = fields.Date("Next Action Date",
        help="The agent gets a reminder on this day.")
    done = fields.Boolean("Done", help="The next action was taken.")
    reminded = fields.Boolean("Reminded", readonly=True,
        help="The agent was reminded of the next action.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.party, Index.Equality())),
                Index(t, (t.next_action_date, Index.Range()),
                    where=(t.done == False) & (t.reminded == False)),  # noqa
                })
        cls._order = [('date', 'DESC'), ('id', 'DESC')]

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_date():
        return dt.datetime.now()

    @staticmethod
    def default_agent():
        return Transaction().user or None

    @staticmethod
    def default_channel():
        return 'phone'

    @staticmethod
    def default_done():
        return False

    @staticmethod
    def default_reminded():
        return False

    def get_rec_name(self, name):
        return f'{self.party.rec_name} @ {self.date:%Y-%m-%d}'

    @classmethod
    def on_modification(cls, mode, follow_ups, field_names=None):
        super().on_modification(mode, follow_ups, field_names=field_names)
        if mode == 'create' or 'stage' in (field_names or []):
            cls._update_stages(follow_ups)

    @classmethod
    def _update_stages(cls, follow_ups):
        "Give the customers the stage of their latest follow-up."
        Party = Pool().get('party.party')
        args = []
        for follow_up in sorted(follow_ups, key=lambda f: f.date):
            if follow_up.stage:
                args.extend(([follow_up.party], {
                            'sales_stage': follow_up.stage}))
        if args:
            with without_check_access():
                Party.write(*args)

    @classmethod
    def send_reminders(cls, date=None):
        "Remind each agent, once, of the follow-ups due by date."
        Date = Pool().get('ir.date')
        date = date or Date.today()
        follow_ups = cls.search([
                ('done', '=', False),
                ('reminded', '=', False),
                ('next_action_date', '<=', date),
                ])
        cls._remind(follow_ups)
        cls.write(follow_ups, {'reminded': True})
        return follow_ups

    @classmethod
    def _remind(cls, follow_ups):
        "Tell the agents over the bus and in the web client's bell."
        notify([Notice(f.agent, f, gettext(
                        'callcenter_ticket.msg_follow_up_due',
                        party=f.party.rec_name, action=f.next_action or ''),
                    f.note)
                for f in follow_ups], bus_type='callcenter.follow_up')


class Cron(metaclass=PoolMeta):
    __name__ = 'ir.cron'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.method.selection.append(
            ('callcenter.customer.follow_up|send_reminders',
                "Remind Due Follow-ups"))
