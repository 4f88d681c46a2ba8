"""The dialer's store in Tryton: campaigns, leads, attempts, figures.

Each method runs one committed transaction through the bridge's
:class:`~callcenter_cti.bridge.bridge.Tryton` runner (in a worker thread
of the dialer). Lead selection, recycling and the abandon accounting are
the campaign module's (``dialing.py``); this file only adapts them.
"""
from __future__ import annotations

import datetime as dt
import logging
import os
from typing import Any

from .engine import CampaignPlan, Dial, Stats
from .tracking import Outcome

__all__ = ['TrytonStore', 'read_server']

logger = logging.getLogger(__name__)
DAY = dt.timedelta(hours=24)
MONTH = dt.timedelta(days=30)


def read_server(pool: Any) -> dict[str, Any] | None:
    "The first active PBX server record, as the bridge reads it."
    Server = pool.get('callcenter.pbx.server')
    for s in Server.search([], limit=1, order=[('id', 'ASC')]):
        return {'id': s.id, 'host': s.host, 'port': s.port,
            'username': s.username, 'tls': bool(s.use_tls),
            'secret': os.environ.get(f'CALLCENTER_AMI_SECRET_{s.id}',
                s.secret or '')}
    return None


def _model(pool: Any, name: str) -> Any:
    "The model ``name``, or None when its module is not activated."
    try:
        return pool.get(name)
    except KeyError:
        return None


def plan_of(campaign: Any) -> CampaignPlan:
    "What the dialer needs of ``campaign``."
    queue = getattr(campaign, 'queue', None)
    connect = getattr(campaign, 'connect_handling', None) or 'queue'
    limit = getattr(campaign, 'abandon_limit', None)
    return CampaignPlan(campaign.id, campaign.dial_mode,
        queue=queue.name if queue else 'outbound', connect=connect,
        media=campaign.dialer_media() if hasattr(campaign,
            'dialer_media') else '',
        abandon_limit=(3.0 if limit is None else limit) / 100,
        batch_size=getattr(campaign, 'batch_size', None) or 10,
        trunk=getattr(campaign, 'trunk', None) or 'trunk',
        caller_id=getattr(campaign, 'caller_id', None) or '')


def _running(pool: Any) -> list[CampaignPlan]:
    Campaign = _model(pool, 'callcenter.campaign')
    if Campaign is None:
        return []
    return [plan_of(c) for c in Campaign.search([('state', '=', 'running')])]


class TrytonStore:
    "The :class:`~.engine.Store` of a database."

    def __init__(self, tryton: Any) -> None:
        self.tryton = tryton

    def running(self) -> list[CampaignPlan]:
        return self.tryton.call(_running)

    def stats(self, campaign: int) -> Stats:
        return self.tryton.call(_stats, campaign)

    def next_leads(self, campaign: int, count: int) -> list[Dial]:
        return self.tryton.call(_next_leads, campaign, count)

    def previews(self, campaign: int) -> list[Dial]:
        return self.tryton.call(_previews, campaign)

    def record(self, outcomes: list[Outcome]) -> None:
        self.tryton.call(_record, outcomes)

    def release(self, attempts: list[int]) -> None:
        self.tryton.call(_release, attempts)

    def reconcile(self) -> int:
        return self.tryton.call(_reconcile_guarded)


def _reconcile_guarded(pool: Any) -> int:
    return _reconcile(pool) if _model(
        pool, 'callcenter.campaign.attempt') else 0


def _stats(pool: Any, campaign_id: int) -> Stats:
    from .. import dialing
    campaign = pool.get('callcenter.campaign')(campaign_id)
    now = dt.datetime.now()
    day = dialing.abandon_counts(campaign, now - DAY)
    month = dialing.abandon_counts(campaign, now - MONTH)
    return Stats(day['answered'], day['abandoned'], month['answered'],
        month['abandoned'])


def _next_leads(pool: Any, campaign_id: int, count: int) -> list[Dial]:
    from .. import dialing
    campaign = pool.get('callcenter.campaign')(campaign_id)
    return [Dial(a.id, a.number.key or a.number.number)
        for a in dialing.next_leads(campaign, count)]


def _previews(pool: Any, campaign_id: int) -> list[Dial]:
    "The attempts agents asked to dial from the lead (preview)."
    Attempt = pool.get('callcenter.campaign.attempt')
    attempts = Attempt.search([
            ('campaign', '=', campaign_id),
            ('preview_state', '=', 'requested'),
            ])
    if not attempts:
        return []
    Attempt.write(attempts, {'preview_state': 'dialled'})
    return [Dial(a.id, a.number.key or a.number.number,
            a.preview_agent.interface) for a in attempts]


def _record(pool: Any, outcomes: list[Outcome]) -> None:
    from .. import dialing
    Attempt = pool.get('callcenter.campaign.attempt')
    calls = _calls(pool, [o.uniqueid for o in outcomes if o.uniqueid])
    agents = _agents(pool, [o.agent for o in outcomes if o.agent])
    existing = {a.id: a for a in Attempt.browse(
            _existing(pool, [o.attempt for o in outcomes]))}
    for outcome in outcomes:
        attempt = existing.get(outcome.attempt)
        if attempt is None or attempt.outcome:
            continue
        agent = agents.get(outcome.agent)
        dialing.record_outcome(attempt, outcome.outcome,
            call=calls.get(outcome.uniqueid),
            agent=agent.user.id if agent else None,
            talk_duration=dt.timedelta(seconds=round(outcome.talk_seconds))
            if outcome.connected_at is not None else None)


def _existing(pool: Any, ids: list[int]) -> list[int]:
    Attempt = pool.get('callcenter.campaign.attempt')
    return [a.id for a in Attempt.search([('id', 'in', ids)])]


def _calls(pool: Any, uniqueids: list[str]) -> dict[str, int]:
    "The call log's calls of the customer channels (their Linkedid)."
    if not uniqueids:
        return {}
    Call = pool.get('callcenter.call')
    return {c.linkedid: c.id for c in Call.search(
            [('linkedid', 'in', uniqueids)])}


def _agents(pool: Any, interfaces: list[str]) -> dict[str, Any]:
    if not interfaces:
        return {}
    return pool.get('callcenter.agent').by_interface(None, interfaces)


def _release(pool: Any, attempt_ids: list[int]) -> None:
    """Give back leads whose Originate never reached the PBX: the attempt
    is deleted and the lead is ready again, its count as before."""
    Attempt = pool.get('callcenter.campaign.attempt')
    Lead = pool.get('callcenter.campaign.lead')
    attempts = Attempt.browse(_existing(pool, attempt_ids))
    for attempt in attempts:
        Lead.write([attempt.lead], {'dial_state': 'ready',
                'attempt_count': max((attempt.lead.attempt_count or 1) - 1,
                    0)})
    Attempt.delete(attempts)


def _reconcile(pool: Any) -> int:
    """Close the attempts a previous run left open. Whether the call was
    answered is unknown: it is recorded as no answer, so the lead comes
    back after the campaign's no-answer delay, never while that call may
    still be up."""
    from .. import dialing
    Attempt = pool.get('callcenter.campaign.attempt')
    attempts = Attempt.search([
            ('outcome', '=', None),
            ['OR', ('preview_state', '=', None),
                ('preview_state', '=', 'dialled')],
            ])
    for attempt in attempts:
        dialing.record_outcome(attempt, 'no_answer')
    return len(attempts)
