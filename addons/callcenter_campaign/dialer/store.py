"""The dialer's store in Tryton: campaigns, leads, attempts, figures.

Each method runs one committed transaction through the bridge's
:class:`~callcenter_cti.bridge.bridge.Tryton` runner (in a worker thread
of the dialer). Lead selection, recycling and the abandon accounting are
the campaign module's (``dialing.py``); this file only adapts them.
"""
from __future__ import annotations

import logging
import os
from typing import Any

from .engine import CampaignPlan, Dial, Stats
from .tracking import Outcome

__all__ = ['TrytonStore', 'read_server']

logger = logging.getLogger(__name__)


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
        return self.tryton.call(_reconcile)


def _stats(pool: Any, campaign: int) -> Stats:
    return Stats()


def _next_leads(pool: Any, campaign: int, count: int) -> list[Dial]:
    return []


def _previews(pool: Any, campaign: int) -> list[Dial]:
    return []


def _record(pool: Any, outcomes: list[Outcome]) -> None:
    return None


def _release(pool: Any, attempts: list[int]) -> None:
    return None


def _reconcile(pool: Any) -> int:
    return 0
