"""The dialer with its Tryton store on the demo database, against the
simulator over TCP: what the attempt history shows after a campaign ran
(do-not-call numbers never dialled, attempt limits, recycling, invalid
numbers, the 72 h lockout after a dropped call, no number twice at once)."""
from __future__ import annotations

import asyncio
import datetime as dt
from pathlib import Path
from typing import Any

from callcenter.pbxsim import SimConfig, Simulator
from callcenter.pbxsim.outbound_model import OutboundModel
from trytond.modules.callcenter_campaign.dialer.engine import (
    Dialer, DialerConfig)
from trytond.modules.callcenter_campaign.dialer.store import TrytonStore
from trytond.modules.callcenter_cti.bridge.bridge import Tryton
from trytond.modules.callcenter_cti.bridge.client import ClientConfig

from pbxhelpers import run
from test_bridge import Db, until

PREFIXES = (('+4420710', 'live'), ('+4420720', 'machine'),
    ('+4420730', 'busy'), ('+4420740', 'noanswer'), ('+4420750', 'invalid'),
    ('+4420760', 'live'))
KINDS = {'live': '10', 'machine': '20', 'busy': '30', 'noanswer': '40',
    'invalid': '50', 'dnc': '60'}


def _numbers(kind: str, count: int, start: int = 0) -> list[str]:
    return [f'+44207{KINDS[kind]}{start + i:05d}' for i in range(count)]


def _setup(pool: Any, name: str, mode: str, leads: dict[str, int],
        server_id: int, dnc: list[str]) -> int:
    "An open task, its leads and a running campaign dialling all day."
    company = pool.get('company.company').search([], limit=1)[0]
    Queue = pool.get('callcenter.queue')
    queue = Queue.get_or_create(server_id, ['outbound'])['outbound']
    Task = pool.get('callcenter.campaign.task')
    task, = Task.create([{'name': name, 'state': 'open',
                'company': company.id}])
    numbers = [n for kind, count in leads.items()
        for n in _numbers(kind, count)]
    pool.get('callcenter.campaign.lead').create([{'task': task.id,
                'company': company.id, 'name': f'Lead {n}',
                'numbers': [('create', [{'number': n}])]} for n in numbers])
    pool.get('callcenter.campaign.dnc').create([{'company': company.id,
                'number': n, 'reason': 'asked'} for n in dnc])
    Campaign = pool.get('callcenter.campaign')
    campaign, = Campaign.create([{'name': name, 'task': task.id,
                'company': company.id, 'dial_mode': mode,
                'queue': queue.id, 'skip_holidays': False,
                'morning_start': dt.time(0, 0),
                'morning_end': dt.time(12, 0),
                'afternoon_start': dt.time(12, 0),
                'afternoon_end': dt.time(23, 59, 59),
                'max_attempts': 2, 'busy_delay': dt.timedelta(0),
                'machine_delay': dt.timedelta(hours=4),
                'no_answer_delay': dt.timedelta(hours=2)}])
    Campaign.start([campaign])
    return campaign.id


def _attempts(pool: Any, campaign_id: int) -> list[dict[str, Any]]:
    Attempt = pool.get('callcenter.campaign.attempt')
    return [{'number': a.number.number, 'outcome': a.outcome,
            'agent': a.agent.login if a.agent else None,
            'talk': a.talk_duration, 'lead_state': a.lead.dial_state,
            'number_state': a.number.state,
            'next': a.number.next_attempt_at or a.lead.next_attempt_at}
        for a in Attempt.search([('campaign', '=', campaign_id)])]


def _settled(pool: Any, campaign_id: int) -> bool:
    "No attempt open, no lead left to dial now."
    Attempt = pool.get('callcenter.campaign.attempt')
    Lead = pool.get('callcenter.campaign.lead')
    campaign = pool.get('callcenter.campaign')(campaign_id)
    now = dt.datetime.now()
    open_ = Attempt.search([('campaign', '=', campaign_id),
            ('outcome', '=', None)], count=True)
    ready = Lead.search([('task', '=', campaign.task.id),
            ('dial_state', '=', 'ready'),
            ['OR', ('next_attempt_at', '=', None),
                ('next_attempt_at', '<=', now)]], count=True)
    return not open_ and not ready


def _stop(pool: Any, campaign_id: int) -> None:
    Campaign = pool.get('callcenter.campaign')
    Campaign.stop([Campaign(campaign_id)])


async def _dial(suite: Any, tmp_path: Path, name: str, mode: str,
        leads: dict[str, int], dnc: list[str] = (), agents: tuple = (
            '1001', '1002', '1003')) -> tuple[list[dict], Simulator]:
    db = Db(suite)
    tryton = Tryton(suite.config, suite.db_name)
    config = SimConfig(port=0, tempo=0.002, recordings=tmp_path / 'rec',
        agents=agents, queues=('outbound',),
        outbound=OutboundModel(prefixes=PREFIXES, seed=7))
    async with Simulator(config) as sim:
        db.point(sim.port)
        campaign = await asyncio.to_thread(tryton.call, _setup, name, mode,
            leads, db.server_id, list(dnc))
        dialer = Dialer(TrytonStore(tryton), DialerConfig(ClientConfig(
                    port=sim.port, username='cti', secret='cti-secret'),
                tick=0.05, refresh=0.2))
        task = asyncio.create_task(dialer.run())
        try:
            await until(lambda: tryton.call(_settled, campaign),
                timeout=150)
        finally:
            await asyncio.to_thread(tryton.call, _stop, campaign)
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
        return await asyncio.to_thread(tryton.call, _attempts,
            campaign), sim


def test_progressive_campaign_history(suite: Any, tmp_path: Path) -> None:
    "Limits, recycling, invalid numbers and do-not-call, from the history."
    dnc = _numbers('dnc', 2)
    attempts, sim = run(_dial(suite, tmp_path, 'Progressive run',
            'progressive', {'live': 6, 'machine': 2, 'busy': 2,
                'noanswer': 2, 'invalid': 2, 'dnc': 2}, dnc), timeout=200)
    report = sim.outbound.report
    dialled = [a.number for a in report.attempts]
    assert not set(dnc) & set(dialled), 'a do-not-call number was dialled'
    assert report.overlaps == []
    assert sorted(a['number'] for a in attempts) == sorted(dialled)
    by_kind = {kind: [a for a in attempts if a['number'][6:8] == code]
        for kind, code in KINDS.items()}
    # Busy comes back at once (delay 0) until the 2 attempts are used.
    assert len(by_kind['busy']) == 4
    assert {a['outcome'] for a in by_kind['busy']} == {'busy'}
    # No answer comes back after 2 h: one attempt each in this run.
    assert len(by_kind['noanswer']) == 2
    now = dt.datetime.now()
    assert all(a['next'] > now + dt.timedelta(hours=1, minutes=50)
        for a in by_kind['noanswer'])
    assert {a['number_state'] for a in by_kind['invalid']} == {'invalid'}
    live = by_kind['live']
    assert len(live) == 6 and {a['outcome'] for a in live} == {'live'}
    assert all(a['agent'] in ('agent1', 'agent2', 'agent3')
        and a['talk'] is not None
        for a in live)
    assert {a['outcome'] for a in by_kind['machine']} == {'machine'}
    assert [a for a in attempts if a['outcome'] == 'abandoned'] == []


def test_dropped_calls_locked_out_72_hours(suite: Any,
        tmp_path: Path) -> None:
    "Predictive with one agent drops calls; those numbers wait 72 h."
    attempts, sim = run(_dial(suite, tmp_path, 'Predictive drops',
            'predictive', {'live': 40}, agents=('1001',)), timeout=200)
    report = sim.outbound.report
    assert report.overlaps == []
    dropped = [a for a in attempts if a['outcome'] == 'abandoned']
    assert len(dropped) == report.count(abandoned=True)
    for attempt in dropped:
        assert attempt['next'] >= dt.datetime.now() + dt.timedelta(
            hours=71, minutes=59)
    dialled = [a.number for a in report.attempts]
    again = {a['number'] for a in dropped} & {n for n in dialled
        if dialled.count(n) > 1}
    assert not again, 'a dropped number was dialled again'


def _open_attempts(pool: Any, campaign_id: int) -> int:
    return pool.get('callcenter.campaign.attempt').search([
            ('campaign', '=', campaign_id), ('outcome', '=', None)],
        count=True)


def test_dialer_restart_dials_no_lead_twice(suite: Any,
        tmp_path: Path) -> None:
    "A dialer stopped with calls up; the next one closes them, redials none."
    async def scenario() -> tuple[list[dict], Simulator, int]:
        db = Db(suite)
        tryton = Tryton(suite.config, suite.db_name)
        config = SimConfig(port=0, tempo=0.02, recordings=tmp_path / 'rec',
            queues=('outbound',),
            outbound=OutboundModel(prefixes=PREFIXES, seed=3))
        async with Simulator(config) as sim:
            db.point(sim.port)
            campaign = await asyncio.to_thread(tryton.call, _setup,
                'Restart', 'progressive', {'live': 12}, db.server_id, [])
            def dialer() -> Dialer:
                return Dialer(TrytonStore(tryton), DialerConfig(ClientConfig(
                            port=sim.port, username='cti',
                            secret='cti-secret'), tick=0.05, refresh=0.2))
            first = dialer()
            task = asyncio.create_task(first.run())
            await until(lambda: tryton.call(_open_attempts, campaign) >= 2)
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            left_open = await asyncio.to_thread(tryton.call,
                _open_attempts, campaign)
            task = asyncio.create_task(dialer().run())
            try:
                await until(lambda: tryton.call(_settled, campaign),
                    timeout=150)
            finally:
                await asyncio.to_thread(tryton.call, _stop, campaign)
                task.cancel()
                await asyncio.gather(task, return_exceptions=True)
            return await asyncio.to_thread(tryton.call, _attempts,
                campaign), sim, left_open
    attempts, sim, left_open = run(scenario(), timeout=200)
    report = sim.outbound.report
    dialled = [a.number for a in report.attempts]
    assert left_open >= 1
    assert len(dialled) == len(set(dialled)) == 12
    assert report.overlaps == []
    assert all(a['outcome'] for a in attempts)
    assert len([a for a in attempts if a['outcome'] == 'no_answer']) >= 1
