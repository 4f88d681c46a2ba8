"""Attempts (one dial of one number of a lead) and the dialer log."""
from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.transaction import Transaction

OUTCOMES = [
    (None, ""),
    ('live', "Live"),
    ('machine', "Machine"),
    ('busy', "Busy"),
    ('no_answer', "No Answer"),
    ('invalid', "Invalid"),
    ('abandoned', "Abandoned"),
    ]


class Attempt(ModelSQL, ModelView):
    "One dial of one number of a lead by a campaign."
    __name__ = 'callcenter.campaign.attempt'
    __string__ = "Campaign Attempt"
    company = fields.Many2One(
        'company.company', "Company", required=True, readonly=True)
    campaign = fields.Many2One(
        'callcenter.campaign', "Campaign", required=True, readonly=True,
        ondelete='CASCADE')
    lead = fields.Many2One(
        'callcenter.campaign.lead', "Lead", required=True, readonly=True,
        ondelete='CASCADE')
    number = fields.Many2One(
        'callcenter.campaign.lead.number', "Number", required=True,
        readonly=True, ondelete='CASCADE')
    call = fields.Many2One(
        'callcenter.call', "Call", readonly=True, ondelete='SET NULL')
    agent = fields.Many2One(
        'res.user', "Agent", readonly=True, ondelete='SET NULL',
        help="The agent the call was connected to.")
    started_at = fields.Timestamp("Started", required=True, readonly=True)
    ended_at = fields.Timestamp("Ended", readonly=True)
    talk_duration = fields.TimeDelta("Talk Time", readonly=True)
    outcome = fields.Selection(
        OUTCOMES, "Outcome", readonly=True,
        help="Empty while the call is under way.")
    disposition = fields.Many2One(
        'callcenter.campaign.disposition', "Disposition", readonly=True,
        ondelete='SET NULL')
    pass_number = fields.Integer("Pass", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.number, Index.Equality()),
                    (t.started_at, Index.Range())),
                Index(t, (t.campaign, Index.Equality()),
                    (t.started_at, Index.Range())),
                Index(t, (t.lead, Index.Equality())),
                })
        cls._order = [('started_at', 'DESC'), ('id', 'DESC')]

    def get_rec_name(self, name):
        return f'{self.number.number} @ {self.started_at:%Y-%m-%d %H:%M}'


class DialerLog(ModelSQL, ModelView):
    "A line of the dialer's log for a campaign (外呼日志)."
    __name__ = 'callcenter.campaign.log'
    __string__ = "Dialer Log"
    company = fields.Many2One(
        'company.company', "Company", required=True, readonly=True)
    campaign = fields.Many2One(
        'callcenter.campaign', "Campaign", required=True, readonly=True,
        ondelete='CASCADE')
    logged_at = fields.Timestamp("Time", required=True, readonly=True)
    level = fields.Selection([
            ('info', "Info"),
            ('warning', "Warning"),
            ('error', "Error"),
            ], "Level", required=True, readonly=True)
    message = fields.Text("Message", required=True, readonly=True)
    attempt = fields.Many2One(
        'callcenter.campaign.attempt', "Attempt", readonly=True,
        ondelete='SET NULL')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.campaign, Index.Equality()),
                (t.logged_at, Index.Range())))
        cls._order = [('logged_at', 'DESC'), ('id', 'DESC')]

    @staticmethod
    def default_level():
        return 'info'

    @classmethod
    def log(cls, campaign, message, level='info', attempt=None, now=None):
        "Write a line for ``campaign`` (the dialer's entry point)."
        from datetime import datetime
        return cls.create([{
                    'company': campaign.company.id,
                    'campaign': campaign.id,
                    'logged_at': now or datetime.now(),
                    'level': level,
                    'message': message,
                    'attempt': attempt.id if attempt else None,
                    }])[0]

    @staticmethod
    def default_company():
        return Transaction().context.get('company')
