"""Agents joining and leaving campaigns (CMP-03).

An agent joins a campaign by joining its queue: the queue is added to the
agent's queues (so the next log-in adds it again) and the phone system is
asked to add the agent's phone to it now (a ``queue_add`` phone command
naming that queue only). Leaving does the reverse. The dialer counts the
members of the campaign's queue as the agents logged in to it.
"""
from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction

from .exceptions import CampaignJoinError


class Campaign(metaclass=PoolMeta):
    __name__ = 'callcenter.campaign'
    joined = fields.Function(
        fields.Boolean("Joined",
            help="The current user's phone takes the campaign's calls."),
        'get_joined')

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({
                'join': {
                    'invisible': (Eval('state') != 'running')
                    | Eval('joined', False),
                    'depends': ['state', 'joined'],
                    },
                'leave': {
                    'invisible': ~Eval('joined', False),
                    'depends': ['joined'],
                    },
                })

    @classmethod
    def get_joined(cls, campaigns, name):
        agent = cls._current_agent()
        queues = {q.id for q in agent.queues} if agent else set()
        return {c.id: bool(c.queue and c.queue.id in queues)
            for c in campaigns}

    @staticmethod
    def _current_agent():
        Agent = Pool().get('callcenter.agent')
        with Transaction().set_context(_check_access=False):
            agents = Agent.search(
                [('user', '=', Transaction().user)], limit=1)
        return agents[0] if agents else None

    @classmethod
    @ModelView.button
    def join(cls, campaigns):
        "Add the current agent's phone to the campaigns' queues."
        if not campaigns:
            return
        agent = cls._joining_agent(campaigns)
        queues = [c.queue for c in campaigns]
        cls._set_queues(agent, [('add', [q.id for q in queues])])
        cls._phone(agent, 'queue_add', queues)

    @classmethod
    @ModelView.button
    def leave(cls, campaigns):
        "Take the current agent's phone out of the campaigns' queues."
        if not campaigns:
            return
        agent = cls._joining_agent(campaigns)
        queues = [c.queue for c in campaigns]
        cls._set_queues(agent, [('remove', [q.id for q in queues])])
        cls._phone(agent, 'queue_remove', queues)

    @classmethod
    def _joining_agent(cls, campaigns):
        agent = cls._current_agent()
        for campaign in campaigns:
            if agent is None or not campaign.queue:
                raise CampaignJoinError(gettext(
                        'callcenter_campaign.msg_campaign_join',
                        campaign=campaign.rec_name))
        return agent

    @staticmethod
    def _set_queues(agent, actions):
        Agent = Pool().get('callcenter.agent')
        with Transaction().set_context(_check_access=False):
            Agent.write([agent], {'queues': actions})

    @staticmethod
    def _phone(agent, action, queues):
        Command = Pool().get('callcenter.pbx.command')
        with Transaction().set_context(_check_access=False):
            Command.enqueue(agent, action, queues=[q.name for q in queues])
