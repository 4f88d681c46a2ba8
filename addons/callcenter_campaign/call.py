"""The campaign pop: a campaign call reaching an agent opens its lead.

The dialer's call is matched to its attempt by the number dialled (the
customer's channel carries it as caller id): the open attempt of that
number (E.164 key) started last. The lead opens first, in its pop form
with the campaign's script and the disposition to set, then the agent's
draft response to the campaign's questionnaire (if it has one), before
the customer and the call panel.
"""
from trytond.modules.callcenter_base import phone
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction


class Call(metaclass=PoolMeta):
    __name__ = 'callcenter.call'

    @classmethod
    def _screen_pop_tabs(cls, call, parties, agent=None):
        tabs = super()._screen_pop_tabs(call, parties, agent)
        attempt = cls._campaign_attempt(call)
        if attempt is not None:
            tabs.insert(0, cls._lead_tab(attempt))
            if agent and attempt.campaign.questionnaire:
                tabs.insert(1, cls._questionnaire_tab(call, attempt, agent))
        return tabs

    @classmethod
    def _campaign_attempt(cls, call):
        "The open campaign attempt of the call's number, if any."
        if not call.number:
            return None
        pool = Pool()
        Attempt = pool.get('callcenter.campaign.attempt')
        region = pool.get('callcenter.configuration').phone_region()
        key = phone.normalize(call.number, region) or call.number
        attempts = Attempt.search([
                ('outcome', '=', None),
                ('number.key', '=', key),
                ], order=[('started_at', 'DESC'), ('id', 'DESC')], limit=1)
        return attempts[0] if attempts else None

    @classmethod
    def _lead_tab(cls, attempt):
        ModelData = Pool().get('ir.model.data')
        return {
            'model': 'callcenter.campaign.lead',
            'res_id': attempt.lead.id,
            'mode': ['form'],
            'view_ids': [ModelData.get_id(
                    'callcenter_campaign', 'lead_view_form_pop')],
            'name': attempt.campaign.rec_name,
            }

    @classmethod
    def _questionnaire_tab(cls, call, attempt, agent):
        "The agent's draft response to the campaign's questionnaire."
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        Response = pool.get('callcenter.questionnaire.response')
        questionnaire = attempt.campaign.questionnaire
        # The response is the agent's own: ring and answer find the same.
        with Transaction().set_user(agent.user.id):
            response = Response.fill(questionnaire.id, lead=attempt.lead.id,
                call=call.id, campaign=attempt.campaign.id)
        return {
            'model': 'callcenter.questionnaire.response',
            'res_id': response,
            'mode': ['form'],
            'view_ids': [ModelData.get_id(
                    'callcenter_campaign', 'response_view_form')],
            'name': questionnaire.rec_name,
            }
