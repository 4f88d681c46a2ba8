"""Campaign Originates on the simulator: outcomes, the 2-second rule, the
report of what was dialled."""
from __future__ import annotations

import dataclasses

from callcenter.pbxsim import SimConfig
from callcenter.pbxsim.outbound_model import OutboundModel

from pbxhelpers import linked, run

PREFIXES = (('+44100', 'live'), ('+44200', 'machine'), ('+44300', 'busy'),
    ('+44400', 'noanswer'), ('+44500', 'invalid'))


def _config(sim_config: SimConfig, **model: object) -> SimConfig:
    return dataclasses.replace(sim_config, queues=('support', 'outbound'),
        outbound=OutboundModel(prefixes=PREFIXES, seed=3, **model))


async def _dial(client, number: str, attempt: str = '1', **extra: str):
    variables = ','.join(f'{k}={v}' for k, v in {
        'CALLCENTER_ATTEMPT': attempt, 'CALLCENTER_QUEUE': 'outbound',
        **extra}.items())
    return await client.action('Originate',
        Channel=f'PJSIP/{number}@trunk', Context='callcenter-campaign',
        Exten='s', Priority='1', Timeout='30000', Async='true',
        Variable=variables)


def test_failed_dials_answer_as_asterisk(sim_config: SimConfig) -> None:
    "Busy, unanswered and invalid numbers fail with their reason and cause."
    async def scenario() -> None:
        async with linked(_config(sim_config)) as (sim, client, events):
            for number in ('+443001', '+444001', '+445001'):
                response = await _dial(client, number)
                assert response.get('Message') == (
                    'Originate successfully queued')
            for reason, cause in (('5', '17'), ('3', '19'), ('8', '1')):
                failed = await events.wait('OriginateResponse',
                    Response='Failure', Reason=reason)
                assert failed.get('Uniqueid') == '<null>'
                await events.wait('Hangup', Cause=cause)
            report = sim.outbound.report
            assert [a.outcome for a in report.attempts] == [
                'busy', 'noanswer', 'invalid']
    run(scenario())


def test_live_answer_connects_a_free_agent(sim_config: SimConfig) -> None:
    "A person who answers is told HUMAN by AMD and reaches a free agent."
    async def scenario() -> None:
        async with linked(_config(sim_config)) as (sim, client, events):
            await _dial(client, '+441001', attempt='42')
            answered = await events.wait('OriginateResponse',
                Response='Success', Reason='4')
            uniqueid = answered.get('Uniqueid')
            await events.wait('VarSet', Uniqueid=uniqueid,
                Variable='CALLCENTER_ATTEMPT', Value='42')
            await events.wait('VarSet', Uniqueid=uniqueid,
                Variable='AMDSTATUS', Value='HUMAN')
            connect = await events.wait('AgentConnect', Uniqueid=uniqueid)
            assert connect.get('Queue') == 'outbound'
            await events.wait('Hangup', Uniqueid=uniqueid)
            attempt, = sim.outbound.report.attempts
            assert attempt.agent is not None and not attempt.abandoned
    run(scenario())


def test_no_free_agent_hears_the_abandon_message(
        sim_config: SimConfig) -> None:
    "With every agent busy, the queue gives up after 2 s and plays a message."
    async def scenario() -> None:
        async with linked(_config(sim_config)) as (sim, client, events):
            for agent in ('1001', '1002', '1003'):
                sim.pause(agent, paused=True, reason='lunch')
            await _dial(client, '+441002', CALLCENTER_ABANDON_MESSAGE=(
                'callcenter/abandon-acme'))
            timeout = await events.wait('VarSet', Variable='QUEUESTATUS',
                Value='TIMEOUT')
            uniqueid = timeout.get('Uniqueid')
            await events.wait('Newexten', Uniqueid=uniqueid,
                Application='Playback', AppData='callcenter/abandon-acme')
            await events.wait('Hangup', Uniqueid=uniqueid)
            assert 'QueueCallerAbandon' not in events.names()
            assert sim.outbound.report.count(abandoned=True) == 1
    run(scenario())


def test_machine_is_hung_up_without_an_agent(sim_config: SimConfig) -> None:
    "An answering machine never reaches the queue."
    async def scenario() -> None:
        async with linked(_config(sim_config)) as (sim, client, events):
            await _dial(client, '+442001')
            machine = await events.wait('VarSet', Variable='AMDSTATUS',
                Value='MACHINE')
            await events.wait('Hangup', Uniqueid=machine.get('Uniqueid'))
            assert 'QueueCallerJoin' not in events.names()
    run(scenario())


def test_report_counts_a_number_dialled_twice_at_once(
        sim_config: SimConfig) -> None:
    "The report names a number dialled while a call to it is still up."
    async def scenario() -> None:
        async with linked(_config(sim_config)) as (sim, client, events):
            await _dial(client, '+444009')
            await _dial(client, '+444009')
            await events.wait('OriginateResponse', Response='Failure')
            assert sim.outbound.report.overlaps == ['+444009']
    run(scenario())


def test_shares_of_the_outcome_model(sim_config: SimConfig) -> None:
    "Without prefixes the outcomes follow the configured shares."
    config = dataclasses.replace(sim_config,
        outbound=OutboundModel(seed=5))
    async def scenario() -> None:
        async with linked(config) as (sim, client, events):
            draws = [sim.outbound.draw('+4912345') for _ in range(4000)]
            assert 0.27 < draws.count('live') / 4000 < 0.33
            assert 0.12 < draws.count('machine') / 4000 < 0.18
            assert 0.42 < draws.count('noanswer') / 4000 < 0.48
    run(scenario())
