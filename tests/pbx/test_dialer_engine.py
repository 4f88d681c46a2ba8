"""The dialer's engine against the simulator over TCP: progressive and
predictive campaigns run to completion, agents are never outrun in
progressive mode, no number is dialled twice at once, a PBX drop loses
no attempt."""
from __future__ import annotations

import asyncio
import dataclasses

from callcenter.pbxsim import SimConfig, Simulator
from callcenter.pbxsim.outbound_model import OutboundModel
from trytond.modules.callcenter_campaign.dialer.engine import (
    CampaignPlan, Dialer, DialerConfig)
from trytond.modules.callcenter_cti.bridge.client import ClientConfig

from memstore import MemoryStore
from pbxhelpers import run

AGENTS = tuple(str(1001 + i) for i in range(6))


def _sim(sim_config: SimConfig, **model: object) -> SimConfig:
    return dataclasses.replace(sim_config, tempo=0.002, agents=AGENTS,
        queues=('outbound',), outbound=OutboundModel(seed=11, **model))


async def _campaign(config: SimConfig, mode: str, leads: int,
        drop_after: int = 0) -> tuple[Simulator, Dialer, MemoryStore]:
    store = MemoryStore(CampaignPlan(1, mode),
        [f'+4420{i:07d}' for i in range(leads)])
    async with Simulator(config) as sim:
        dialer = Dialer(store, DialerConfig(ClientConfig(port=sim.port,
                    username='cti', secret='cti-secret', backoff_initial=0.01,
                    backoff_max=0.05), tick=0.05, refresh=0.1))
        task = asyncio.create_task(dialer.run())
        if drop_after:
            while len(store.outcomes) < drop_after:
                await asyncio.sleep(0.01)
            assert sim.drop_connections() == 1
        await asyncio.to_thread(store.done.wait)
        task.cancel()
        await asyncio.gather(task, return_exceptions=True)
        return sim, dialer, store


def test_progressive_campaign_runs_to_completion(
        sim_config: SimConfig) -> None:
    "Every lead is dialled once and no live answer waits without an agent."
    sim, dialer, store = run(_campaign(_sim(sim_config), 'progressive', 80),
        timeout=120)
    report = sim.outbound.report
    assert sorted(a.number for a in report.attempts) == sorted(
        store.attempts.values())
    assert len(report.attempts) == 80 and report.overlaps == []
    assert report.count(abandoned=True) == 0
    assert store.count('abandoned') == 0
    assert store.count('live') == report.count(outcome='live') > 0
    assert store.count('machine') == report.count(outcome='machine')
    assert report.peak <= len(AGENTS)


def test_predictive_campaign_dials_ahead(sim_config: SimConfig) -> None:
    "Predictive places more calls than agents once it has learned."
    sim, dialer, store = run(_campaign(_sim(sim_config), 'predictive', 300),
        timeout=240)
    report = sim.outbound.report
    assert len(report.attempts) == 300 and report.overlaps == []
    assert report.peak > len(AGENTS)
    assert len(store.outcomes) == 300
    live = report.count(outcome='live')
    assert store.count('abandoned') == report.count(abandoned=True)
    assert report.count(abandoned=True) <= 0.03 * live + 1
    assert dialer.decision_p99() < 50


def test_no_agent_no_dial(sim_config: SimConfig) -> None:
    "With nobody in the campaign queue the dialer places no call."
    config = dataclasses.replace(_sim(sim_config), queues=('support',))
    async def scenario() -> None:
        store = MemoryStore(CampaignPlan(1, 'predictive'), ['+442000001'])
        async with Simulator(config) as sim:
            dialer = Dialer(store, DialerConfig(ClientConfig(port=sim.port,
                        username='cti', secret='cti-secret'), tick=0.01,
                    refresh=0.05))
            task = asyncio.create_task(dialer.run())
            await sim.wait_action('QueueStatus')
            while len(dialer.decisions) < 20:
                await asyncio.sleep(0.01)
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            assert sim.outbound.report.attempts == []
            assert store.attempts == {}
    run(scenario())


def test_pbx_drop_mid_campaign(sim_config: SimConfig) -> None:
    "A dropped AMI link loses no attempt and dials no number twice."
    sim, dialer, store = run(_campaign(_sim(sim_config), 'progressive', 60,
            drop_after=15), timeout=120)
    report = sim.outbound.report
    assert report.overlaps == []
    dialled = [a.number for a in report.attempts]
    assert len(dialled) == len(set(dialled))
    assert len(store.outcomes) + len(store.released) == len(store.attempts)
    assert set(store.attempts.values()) >= set(dialled)


class PreviewStore(MemoryStore):
    "Agent 1002 asks for each lead in turn, as the lead's Dial button does."

    def previews(self, campaign: int) -> list:
        with self._lock:
            if any(o is None for o in self._asked.values()):
                return []
        dials = self.next_leads(campaign, 1)
        dials = [dataclasses.replace(d, agent='PJSIP/1002') for d in dials]
        with self._lock:
            for dial in dials:
                self._asked[dial.attempt] = None
        return dials

    def record(self, outcomes) -> None:
        with self._lock:
            for outcome in outcomes:
                self._asked[outcome.attempt] = outcome
        super().record(outcomes)


def test_preview_calls_ring_the_agent_who_asked(
        sim_config: SimConfig) -> None:
    "Preview dials one lead at a time and connects it to the asking agent."
    async def scenario() -> None:
        store = PreviewStore(CampaignPlan(1, 'preview'),
            [f'+4420{i:07d}' for i in range(12)])
        store._asked = {}
        async with Simulator(_sim(sim_config)) as sim:
            dialer = Dialer(store, DialerConfig(ClientConfig(port=sim.port,
                        username='cti', secret='cti-secret'), tick=0.02,
                    refresh=0.05))
            task = asyncio.create_task(dialer.run())
            await asyncio.to_thread(store.done.wait)
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)
            report = sim.outbound.report
            assert len(report.attempts) == 12 and report.peak == 1
            answered = [a for a in report.attempts
                if a.outcome in ('live', 'machine')]
            assert answered and all(a.agent == '1002' for a in answered)
            assert store.count('live') == len(answered)
            assert {o.agent for o in store.outcomes.values()
                if o.outcome == 'live'} == {'PJSIP/1002'}
    run(scenario(), timeout=120)
