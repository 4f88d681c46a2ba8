"""What the agent sees and does on a campaign call: the lead's pop form
(the campaign's script) and the *Set Disposition* wizard."""
from trytond.model import ModelView, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard



class Lead(metaclass=PoolMeta):
    __name__ = 'callcenter.campaign.lead'
    campaign = fields.Function(
        fields.Many2One('callcenter.campaign', "Campaign",
            help="The campaign that dialled the lead last."),
        'get_last_attempt')
    script = fields.Function(
        fields.Text("Script", help="What to say: the campaign's script."),
        'get_last_attempt')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'set_disposition': {'depends': ['dial_state']},
                })

    @classmethod
    @ModelView.button_action(
        'callcenter_campaign.wizard_lead_disposition')
    def set_disposition(cls, leads):
        pass

    @classmethod
    def get_last_attempt(cls, leads, names):
        Attempt = Pool().get('callcenter.campaign.attempt')
        result = {n: dict.fromkeys(map(int, leads)) for n in names}
        with Transaction().set_context(_check_access=False):
            for lead in leads:
                attempts = Attempt.search([('lead', '=', lead.id)],
                    order=[('started_at', 'DESC'), ('id', 'DESC')], limit=1)
                if not attempts:
                    continue
                campaign = attempts[0].campaign
                if 'campaign' in names:
                    result['campaign'][lead.id] = campaign.id
                if 'script' in names:
                    result['script'][lead.id] = campaign.script
        return result


class SetDispositionStart(ModelView):
    "The agent's result for a lead."
    __name__ = 'callcenter.campaign.lead.disposition.start'
    company = fields.Many2One('company.company', "Company", readonly=True)
    disposition = fields.Many2One(
        'callcenter.campaign.disposition', "Disposition", required=True,
        domain=[('company', '=', Eval('company', -1))])
    action = fields.Function(fields.Char("Action"), 'on_change_with_action')
    callback_at = fields.DateTime(
        "Callback At",
        states={'required': Eval('action') == 'callback',
            'invisible': Eval('action') != 'callback'},
        help="When the lead is called back.")

    @fields.depends('disposition')
    def on_change_with_action(self, name=None):
        return self.disposition.action if self.disposition else None


class SetDisposition(Wizard):
    "Set the disposition of a lead."
    __name__ = 'callcenter.campaign.lead.disposition'
    start = StateView('callcenter.campaign.lead.disposition.start',
        'callcenter_campaign.lead_disposition_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Set", 'set_', 'tryton-ok', default=True),
            ])
    set_ = StateTransition()

    def default_start(self, fields):
        return {'company': self.record.company.id}

    def transition_set_(self):
        from . import dialing  # the campaign module's lead selection
        dialing.set_disposition(self.record, self.start.disposition,
            callback_at=self.start.callback_at,
            agent=Transaction().user)
        return 'end'
