from trytond.i18n import gettext
from trytond.model import ModelSQL, ModelView, Workflow, fields
from trytond.modules.callcenter_base.model_data import prepare_module_data
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .exceptions import PacingRatioError

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

    @classmethod
    def validate_fields(cls, campaigns, field_names):
        super().validate_fields(campaigns, field_names)
        if 'pacing_ratio' in field_names:
            cls.check_pacing_ratio(campaigns)

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
    @Workflow.transition('stopped')
    def stop(cls, campaigns):
        pass
