"""An agent outside a campaign's queue joins it from the campaign (CMP-03):
the bridge adds their phone to the queue on the PBX, the dialer sees the
new member and sends them the campaign's calls; leaving takes it out."""
from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

from callcenter.pbxsim.outbound_model import OutboundModel
from trytond.modules.callcenter_campaign.dialer.engine import (
    Dialer, DialerConfig)
from trytond.modules.callcenter_campaign.dialer.store import TrytonStore
from trytond.modules.callcenter_cti.bridge.bridge import Tryton
from trytond.modules.callcenter_cti.bridge.client import ClientConfig

from pbxhelpers import Rpc, run
from test_bridge import until
from test_commands import commanded
from test_dialer_campaign import PREFIXES, _setup, _stop

AGENT1 = 'PJSIP/1001'


def _leave_outbound(pool: Any, server_id: int) -> None:
    "No agent has the outbound queue among their queues: none joined."
    Agent = pool.get('callcenter.agent')
    Queue = pool.get('callcenter.queue')
    queue = Queue.get_or_create(server_id, ['outbound'])['outbound']
    Agent.write(Agent.search([('queues', '=', queue.id)]),
        {'queues': [('remove', [queue.id])]})


def _connected_to(pool: Any, campaign_id: int) -> list[str]:
    "The logins of the agents the campaign's answered calls reached."
    Attempt = pool.get('callcenter.campaign.attempt')
    return [a.agent.login for a in Attempt.search([
                ('campaign', '=', campaign_id), ('agent', '!=', None)])]


def test_agent_joins_campaign_outside_its_queue(suite: Any,
        tmp_path: Path) -> None:
    "agent1, in no outbound queue, presses Join and gets the campaign's call"
    async def scenario() -> None:
        tryton = Tryton(suite.config, suite.db_name)
        async with commanded(suite, tmp_path, queues=('support', 'outbound'),
                outbound=OutboundModel(prefixes=PREFIXES, seed=7)) as (
                    db, sim):
            sim.pbx.queues['outbound'].members.clear()
            await asyncio.to_thread(tryton.call, _leave_outbound,
                db.server_id)
            campaign = await asyncio.to_thread(tryton.call, _setup,
                'Join from the form', 'progressive', {'live': 3},
                db.server_id, [])
            dialer = Dialer(TrytonStore(tryton), DialerConfig(ClientConfig(
                        port=sim.port, username='cti', secret='cti-secret'),
                    tick=0.05, refresh=0.2))
            task = asyncio.create_task(dialer.run())
            try:
                await until(lambda: dialer.plans.get(campaign))
                assert dialer.members.counts('outbound') == (0, 0)
                assert not sim.outbound.report.attempts

                rpc = Rpc(suite, 'agent1', 'agent1-demo')
                await asyncio.to_thread(rpc.call,
                    'model.callcenter.campaign.join', [campaign])
                added = await sim.wait_action('QueueAdd')
                assert (added['queue'], added['interface']) == (
                    'outbound', AGENT1)
                connected = await until(lambda: tryton.call(
                        _connected_to, campaign), timeout=60)
                assert set(connected) == {'agent1'}

                await asyncio.to_thread(rpc.call,
                    'model.callcenter.campaign.leave', [campaign])
                removed = await sim.wait_action('QueueRemove')
                assert removed['interface'] == AGENT1
                await until(lambda: AGENT1 not in
                    sim.pbx.queues['outbound'].members)
            finally:
                await asyncio.to_thread(tryton.call, _stop, campaign)
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
    run(scenario(), 120)
