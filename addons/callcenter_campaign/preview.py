"""Preview dialling: the agent sees the lead, then dials it.

*Next Lead* on a running preview campaign takes a lead for the agent
(``dialing.next_leads`` with the agent as user, so the agent's own
callbacks come first) and opens it; *Dial* on that lead asks the dialer to
place the call, which rings the agent's phone once the customer answers.
"""
from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .exceptions import CampaignJoinError, PreviewError

PREVIEW_STATES = [
    (None, ""),
    ('previewing', "Previewing"),
    ('requested', "Dial Asked"),
    ('dialled', "Dialled"),
    ]


class Attempt(metaclass=PoolMeta):
    __name__ = 'callcenter.campaign.attempt'
    preview_state = fields.Selection(
        PREVIEW_STATES, "Preview", readonly=True,
        help="Preview campaigns: the agent sees the lead, then asks to dial.")
    preview_agent = fields.Many2One(
        'callcenter.agent', "Preview Agent", readonly=True,
        ondelete='SET NULL')


class Campaign(metaclass=PoolMeta):
    __name__ = 'callcenter.campaign'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'next_lead': {
                    'invisible': (Eval('state') != 'running')
                    | (Eval('dial_mode') != 'preview'),
                    'depends': ['state', 'dial_mode'],
                    },
                })

    @classmethod
    @ModelView.button
    def next_lead(cls, campaigns):
        "Take the next lead of the campaign for the agent and open it."
        if not campaigns:
            return
        from . import dialing  # the campaign module's lead selection
        campaign, = campaigns
        agent = cls._current_agent()
        if agent is None:
            raise CampaignJoinError(gettext(
                    'callcenter_campaign.msg_campaign_join',
                    campaign=campaign.rec_name))
        attempts = dialing.next_leads(campaign, 1, user=agent.user)
        if not attempts:
            raise PreviewError(gettext(
                    'callcenter_campaign.msg_preview_no_lead',
                    campaign=campaign.rec_name))
        Attempt = Pool().get('callcenter.campaign.attempt')
        with Transaction().set_context(_check_access=False):
            Attempt.write(attempts, {'preview_state': 'previewing',
                    'preview_agent': agent.id})
        return cls._open_lead(attempts[0].lead)

    @staticmethod
    def _open_lead(lead):
        return {
            'type': 'ir.action.act_window',
            'res_model': 'callcenter.campaign.lead',
            'res_id': [lead.id],
            'views': [[None, 'form']],
            'name': lead.rec_name,
            }


class Lead(metaclass=PoolMeta):
    __name__ = 'callcenter.campaign.lead'

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'dial': {
                    'invisible': Eval('dial_state') != 'dialing',
                    'depends': ['dial_state'],
                    },
                })

    @classmethod
    @ModelView.button
    def dial(cls, leads):
        "Ask the dialer to call the lead being previewed by the agent."
        Attempt = Pool().get('callcenter.campaign.attempt')
        for lead in leads:
            attempts = Attempt.search([
                    ('lead', '=', lead.id),
                    ('preview_state', '=', 'previewing'),
                    ('preview_agent.user', '=', Transaction().user),
                    ], limit=1)
            if not attempts:
                raise PreviewError(gettext(
                        'callcenter_campaign.msg_preview_not_yours',
                        lead=lead.rec_name))
            with Transaction().set_context(_check_access=False):
                Attempt.write(attempts, {'preview_state': 'requested'})
