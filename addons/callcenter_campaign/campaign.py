import datetime as dt

from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.modules.callcenter_base.model_data import prepare_module_data
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .exceptions import (
    AbandonDelayError, CampaignWindowError, PacingRatioError)

DIAL_MODES = [
    ('preview', "Preview"),
    ('progressive', "Progressive"),
    ('predictive', "Predictive"),
    ]
STATES = [
    ('draft', "Draft"),
    ('running', "Running"),
    ('paused', "Paused"),
    ('stopped', "Stopped"),
    ]
CONNECT_HANDLINGS = [
    ('queue', "To a Queue"),
    ('ivr', "To an IVR"),
    ('audio', "Play Audio"),
    ('text', "Play Text"),
    ]
AMD_SETTINGS = [
    ('off', "Off"),
    ('hangup', "Hang Up on Machines"),
    ('message', "Leave a Message"),
    ]
#: Ofcom: no call back to an abandoned number within 72 hours.
ABANDON_LOCKOUT = dt.timedelta(hours=72)


class Campaign(Workflow, ModelSQL, ModelView):
    "An outbound calling campaign over a list of leads."
    __name__ = 'callcenter.campaign'
    __string__ = "Campaign"
    _states = {'readonly': Eval('state') != 'draft'}

    name = fields.Char("Name", required=True)
    company = fields.Many2One(
        'company.company', "Company", required=True, states=_states)
    dial_mode = fields.Selection(
        DIAL_MODES, "Dial Mode", required=True, states=_states,
        help="Preview: the agent sees the lead, then dials.\n"
        "Progressive: one call per ready agent.\n"
        "Predictive: the dialer places calls ahead of the agents.")
    pacing_ratio = fields.Integer(
        "Pacing Ratio",
        states={'invisible': Eval('dial_mode') != 'predictive'},
        help="Calls placed per ready agent in predictive mode (1 to 9).")
    start_date = fields.Date("Start Date", states=_states)
    end_date = fields.Date(
        "End Date", states=_states,
        domain=['OR', ('end_date', '=', None),
            ('end_date', '>=', Eval('start_date', None))])
    state = fields.Selection(STATES, "State", readonly=True, required=True)
    task = fields.Many2One(
        'callcenter.campaign.task', "Customer Task",
        domain=[('company', '=', Eval('company', -1))],
        help="The leads the campaign dials.")
    morning_start = fields.Time("Morning Start",
        help="In the lead's own time zone.")
    morning_end = fields.Time("Morning End")
    afternoon_start = fields.Time("Afternoon Start")
    afternoon_end = fields.Time("Afternoon End")
    skip_holidays = fields.Boolean(
        "Skip Holidays", help="Do not dial on the company's holidays.")
    frequency = fields.Integer(
        "Frequency", help="Seconds between two rounds of dialling.")
    connect_handling = fields.Selection(
        CONNECT_HANDLINGS, "Connect Handling", required=True,
        help="What a person who answers gets.")
    queue = fields.Many2One(
        'callcenter.queue', "Queue",
        states={'invisible': Eval('connect_handling') != 'queue'},
        help="The queue of agents answered calls go to.")
    ivr_context = fields.Char(
        "IVR Context",
        states={'invisible': Eval('connect_handling') != 'ivr'},
        help="The dialplan context answered calls go to.")
    audio = fields.Binary(
        "Audio", filename='audio_name',
        states={'invisible': Eval('connect_handling') != 'audio'})
    audio_name = fields.Char("Audio Name",
        states={'invisible': Eval('connect_handling') != 'audio'})
    text = fields.Text(
        "Text", states={'invisible': Eval('connect_handling') != 'text'},
        help="Read out by a text-to-speech engine.")
    batch_size = fields.Integer(
        "Batch Size",
        help="Numbers dialled in one round when playing audio or text.")
    trunk = fields.Char("Trunk", help="The outside line the calls use.")
    caller_id = fields.Char("Caller ID", help="The number the called see.")
    max_attempts = fields.Integer(
        "Attempts per Lead",
        help="Attempts on a lead in one pass before it is done.")
    max_number_attempts = fields.Integer(
        "Attempts per Number per 24 h",
        help="Dials of one number in any 24 hours.")
    abandon_limit = fields.Float(
        "Abandon Limit %", digits=(3, 2),
        help="Abandoned calls as a percentage of live answers, over 24 h "
        "and 30 days.")
    amd = fields.Selection(
        AMD_SETTINGS, "Machine Detection", required=True)
    no_answer_delay = fields.TimeDelta(
        "No Answer Recycle", help="Wait before dialling again.")
    busy_delay = fields.TimeDelta("Busy Recycle")
    machine_delay = fields.TimeDelta("Machine Recycle")
    abandoned_delay = fields.TimeDelta(
        "Abandoned Recycle", help="At least 72 hours (Ofcom).")
    callback_to = fields.Selection([
            ('agent', "The Agent Who Set It"),
            ('anyone', "Anyone"),
            ], "Callbacks Go To", required=True)
    script = fields.Text("Script", help="What agents read on connect.")
    dnc_entries = fields.One2Many(
        'callcenter.campaign.dnc', 'campaign', "Do-Not-Call Entries",
        domain=[('company', '=', Eval('company', -1))])
    attempts = fields.One2Many(
        'callcenter.campaign.attempt', 'campaign', "Attempts", readonly=True)
    logs = fields.One2Many(
        'callcenter.campaign.log', 'campaign', "Dialer Log", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._transitions |= {
            ('draft', 'running'),
            ('running', 'paused'),
            ('paused', 'running'),
            ('running', 'stopped'),
            ('paused', 'stopped'),
            }
        cls._buttons.update({
                'start': {
                    'invisible': ~Eval('state').in_(['draft', 'paused']),
                    'depends': ['state'],
                    },
                'pause': {
                    'invisible': Eval('state') != 'running',
                    'depends': ['state'],
                    },
                'stop': {
                    'invisible': ~Eval('state').in_(['running', 'paused']),
                    'depends': ['state'],
                    },
                'second_pass': {
                    'invisible': ~Eval('state').in_(['running', 'paused']),
                    'depends': ['state'],
                    },
                })

    @classmethod
    def __register__(cls, module):
        prepare_module_data(module)
        super().__register__(module)

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_dial_mode():
        return 'preview'

    @staticmethod
    def default_pacing_ratio():
        return 1

    @staticmethod
    def default_state():
        return 'draft'

    @staticmethod
    def default_morning_start():
        return dt.time(9, 0)

    @staticmethod
    def default_morning_end():
        return dt.time(12, 0)

    @staticmethod
    def default_afternoon_start():
        return dt.time(14, 0)

    @staticmethod
    def default_afternoon_end():
        return dt.time(20, 0)

    @staticmethod
    def default_skip_holidays():
        return True

    @staticmethod
    def default_frequency():
        return 5

    @staticmethod
    def default_connect_handling():
        return 'queue'

    @staticmethod
    def default_batch_size():
        return 10

    @staticmethod
    def default_max_attempts():
        return 5

    @staticmethod
    def default_max_number_attempts():
        return 3

    @staticmethod
    def default_abandon_limit():
        return 3.0

    @staticmethod
    def default_amd():
        return 'hangup'

    @staticmethod
    def default_no_answer_delay():
        return dt.timedelta(hours=2)

    @staticmethod
    def default_busy_delay():
        return dt.timedelta(minutes=15)

    @staticmethod
    def default_machine_delay():
        return dt.timedelta(hours=4)

    @staticmethod
    def default_abandoned_delay():
        return ABANDON_LOCKOUT

    @staticmethod
    def default_callback_to():
        return 'agent'

    @classmethod
    def validate_fields(cls, campaigns, field_names):
        super().validate_fields(campaigns, field_names)
        if 'pacing_ratio' in field_names:
            cls.check_pacing_ratio(campaigns)
        if 'abandoned_delay' in field_names:
            cls.check_abandoned_delay(campaigns)
        if field_names & {'morning_start', 'morning_end',
                'afternoon_start', 'afternoon_end'}:
            cls.check_windows(campaigns)

    @classmethod
    def check_abandoned_delay(cls, campaigns):
        for campaign in campaigns:
            if (campaign.abandoned_delay or dt.timedelta()) < ABANDON_LOCKOUT:
                raise AbandonDelayError(gettext(
                        'callcenter_campaign.msg_abandoned_delay',
                        campaign=campaign.rec_name))

    @classmethod
    def check_windows(cls, campaigns):
        for campaign in campaigns:
            for start, end in campaign.windows():
                if start >= end:
                    raise CampaignWindowError(gettext(
                            'callcenter_campaign.msg_campaign_window',
                            campaign=campaign.rec_name,
                            start=start, end=end))

    def windows(self):
        "The (start, end) local times the campaign dials in."
        return [(s, e) for s, e in [
                (self.morning_start, self.morning_end),
                (self.afternoon_start, self.afternoon_end)]
            if s and e]

    @classmethod
    def check_pacing_ratio(cls, campaigns):
        for campaign in campaigns:
            if not 1 <= (campaign.pacing_ratio or 0) <= 9:
                raise PacingRatioError(gettext(
                        'callcenter_campaign.msg_pacing_ratio',
                        campaign=campaign.rec_name,
                        ratio=campaign.pacing_ratio))

    @classmethod
    @ModelView.button
    @Workflow.transition('running')
    def start(cls, campaigns):
        pass

    @classmethod
    @ModelView.button
    @Workflow.transition('paused')
    def pause(cls, campaigns):
        pass

    @classmethod
    @ModelView.button
    def second_pass(cls, campaigns):
        "Dial again the leads never reached (二次外呼)."
        from .dialing import second_pass
        second_pass(campaigns)

    @classmethod
    @ModelView.button
    @Workflow.transition('stopped')
    def stop(cls, campaigns):
        pass
