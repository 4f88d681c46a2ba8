"""The post-call satisfaction survey (CTI-11) over real TCP: the simulator
plays the dialplan's survey context, the bridge reads it from AMI and the
answer lands on the call row."""
from __future__ import annotations

import asyncio
from pathlib import Path
from typing import Any

import pytest

from pbxhelpers import Rpc, run
from test_bridge import bridged, ended, until
from test_commands import commanded, finished

CALLER = '+8613800138000'


@pytest.mark.parametrize('key, survey, satisfaction', [
        ('1', 'very_satisfied', 1),
        ('3', 'unsatisfied', 3),
        ('', 'no_answer', None),
        ('hangup', 'no_answer', None),
        ])
def test_survey_after_agent_hangs_up(suite: Any, tmp_path: Path, key: str,
        survey: str, satisfaction: int | None) -> None:
    """The agent hangs up, the caller answers the survey with a key (or
    none, or hangs up during it: "no answer", not unsatisfied)"""
    async def scenario() -> None:
        async with bridged(suite, tmp_path) as (db, sim):
            call = await sim.scenario('inbound', caller=CALLER,
                agent='agent1', queue='support', hangup_by='agent',
                survey=key)
            await call.finished.wait()
            row = await ended(db, call.linkedid)
            row = await until(lambda: (lambda r: r if r['survey'] else None)(
                    db.call(call.linkedid)))
            assert row['disposition'] == 'answered'
            assert row['survey'] == survey
            assert row['satisfaction'] == satisfaction
    run(scenario(), 60)


def test_survey_key_map_is_a_setting(suite: Any, tmp_path: Path) -> None:
    "With 9 as the unsatisfied key, pressing 9 stores unsatisfied"
    async def scenario() -> None:
        async with bridged(suite, tmp_path) as (db, sim):
            db.execute("UPDATE callcenter_configuration"
                " SET survey_key_unsatisfied = '9'")
            try:
                call = await sim.scenario('inbound', caller=CALLER,
                    agent='agent2', queue='support', hangup_by='agent',
                    survey='9')
                await call.finished.wait()
                await ended(db, call.linkedid)
                row = await until(lambda: (lambda r: r if r['survey'] else
                        None)(db.call(call.linkedid)))
                assert row['survey'] == 'unsatisfied'
            finally:
                db.execute("UPDATE callcenter_configuration"
                    " SET survey_key_unsatisfied = '3'")
    run(scenario(), 60)


def test_survey_button_transfers_caller(suite: Any, tmp_path: Path) -> None:
    """The phone bar's Survey (as the agent, over JSON-RPC) blind-transfers
    the caller to the survey context; their key reaches the call"""
    async def scenario() -> None:
        async with commanded(suite, tmp_path) as (db, sim):
            call = await sim.scenario('inbound', caller=CALLER,
                agent='agent1', queue='support', talk=None, survey='2')
            await call.answered.wait()
            await until(lambda: db.one("SELECT state FROM callcenter_agent"
                    " WHERE id = %s", db.agent('agent1'))[0] == 'on_call')
            rpc = Rpc(suite, 'agent1', 'agent1-demo')
            command, = await asyncio.to_thread(rpc.call,
                'model.callcenter.agent.survey', [db.agent('agent1')])
            action = await sim.wait_action('BlindTransfer')
            assert action['context'] == 'callcenter-survey'
            assert action['exten'] == 'survey'
            assert (await finished(db, command))['state'] == 'done'
            await call.finished.wait()
            await ended(db, call.linkedid)
            row = await until(lambda: (lambda r: r if r and r['survey']
                    else None)(db.call(call.linkedid)))
            assert (row['survey'], row['satisfaction']) == ('satisfied', 2)
    run(scenario(), 90)
