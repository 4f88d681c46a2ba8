"""Scenarios, actions, recordings, event mask and CLI of the simulator."""
from __future__ import annotations

import argparse
import asyncio
import dataclasses
import time
import wave
from pathlib import Path

import pytest

from callcenter.cli import build_parser
from callcenter.pbxsim import SimConfig, Simulator
from callcenter.pbxsim import control
from trytond.modules.callcenter_cti.bridge.client import AmiClient, ClientConfig

from pbxhelpers import Recorder, linked, run

CALLER = '+8613800138000'


async def _play(config: SimConfig, scenario: str, **params: object,
        ) -> Recorder:
    async with linked(config) as (sim, client, events):
        call = await sim.scenario(scenario, **params)
        await call.finished.wait()
        await client.action('Ping')
        assert sim.pbx.channels == {}, 'a channel was left up'
        return events


@pytest.mark.parametrize('scenario, params, expected', [
    ('inbound', dict(caller=CALLER, agent='agent1'), [
        ('QueueCallerJoin', {'CallerIDNum': CALLER}),
        ('AgentConnect', {'Interface': 'PJSIP/1001'}),
        ('AgentComplete', {'Reason': 'caller'})]),
    ('inbound', dict(caller=CALLER, agent='1002', hangup_by='agent'), [
        ('AgentComplete', {'Reason': 'agent', 'MemberName': 'Agent 1002'})]),
    ('abandoned', dict(caller=CALLER), [
        ('AgentRingNoAnswer', {'Queue': 'support'}),
        ('QueueCallerAbandon', {'Queue': 'support', 'HoldTime': '6'}),
        ('Hangup', {'CallerIDNum': CALLER})]),
    ('voicemail', dict(caller=CALLER, extension='1002'), [
        ('DialEnd', {'DialStatus': 'NOANSWER'}),
        ('MessageWaiting', {'Mailbox': '1002@default', 'Waiting': '1'})]),
    ('click_to_dial', dict(agent='1001', number='+4940555123'), [
        ('OriginateResponse', {'Response': 'Success', 'Reason': '4'}),
        ('DialEnd', {'DestCallerIDNum': '+4940555123',
            'DialStatus': 'ANSWER'})]),
    ('click_to_dial', dict(agent='1001', number='0000123'), [
        ('DialEnd', {'DialStatus': 'BUSY'}),
        ('Hangup', {'Cause': '17', 'Cause-txt': 'User busy'})]),
    ('blind_transfer', dict(caller=CALLER, agent='1001', target='1003'), [
        ('BlindTransfer', {'TransfererChannel': None,
            'Extension': '1003', 'Result': 'Success'}),
        ('BridgeEnter', {'CallerIDNum': CALLER, 'Channel': None})]),
    ('attended_transfer', dict(caller=CALLER, agent='1001', target='1002'), [
        # No MusicClass on Asterisk 22.10.1 (pbx/captures/02_attended.txt)
        ('Hold', {}),
        ('MusicOnHoldStart', {'Class': 'default'}),
        ('AttendedTransfer', {'DestType': 'Bridge', 'Result': 'Success'})]),
    ('hold', dict(caller=CALLER, agent='1001', hold=3), [
        ('Hold', {}), ('Unhold', {})]),
    ('conference', dict(caller=CALLER, agent='1001', target='1003'), [
        ('AttendedTransfer', {'DestType': 'Threeway'}),
        ('BridgeEnter', {'BridgeNumChannels': '3',
            'BridgeTechnology': 'softmix'})]),
    ('pickup', dict(caller=CALLER, extension='1001', picker='1002'), [
        ('Pickup', {'CallerIDNum': '1002'}),
        ('Hangup', {'Cause': '26', 'Cause-txt': 'Answered elsewhere'})]),
])
def test_scenario_signature_events(sim_config: SimConfig, scenario: str,
        params: dict[str, object],
        expected: list[tuple[str, dict[str, str | None]]]) -> None:
    """Each scenario raises its telling events, in order, with the
    values given (None: the header only has to be there)."""
    events = run(_play(sim_config, scenario, **params)).events
    position = 0
    for name, headers in expected:
        for index in range(position, len(events)):
            event = events[index]
            if event.name == name and all(
                    (key in event) if value is None else
                    event.get(key) == value for key, value in headers.items()):
                position = index + 1
                break
        else:
            pytest.fail(f'{name} {headers} not found after event {position}')


def test_transfer_target_channel(sim_config: SimConfig) -> None:
    """After a blind transfer to 1003 the caller talks to PJSIP/1003."""
    events = run(_play(sim_config, 'blind_transfer', caller=CALLER,
        agent='1001', target='1003'))
    transfer = events.names().index('BlindTransfer')
    entered = [e['Channel'] for e in events.events[transfer:]
        if e.name == 'BridgeEnter']
    assert entered and entered[0].startswith('PJSIP/1003-')


def test_recording_is_a_real_wav(sim_config: SimConfig) -> None:
    """An answered call leaves a short WAV named in VarSet and the Cdr."""
    events = run(_play(sim_config, 'inbound', caller=CALLER, agent='1001'))
    varset = next(e for e in events.events if e.name == 'VarSet'
        and e['Variable'] == 'MIXMONITOR_FILENAME')
    path = Path(varset['Value'])
    assert path.parent == sim_config.recordings
    with wave.open(str(path)) as recording:
        seconds = recording.getnframes() / recording.getframerate()
        assert recording.getnchannels() == 1
    assert 0.1 <= seconds <= 1.0
    cdrs = [e for e in events.events if e.name == 'Cdr']
    assert cdrs and all(c['UserField'] == str(path) for c in cdrs)
    assert {c['Disposition'] for c in cdrs} == {'ANSWERED'}


def test_event_mask(sim_config: SimConfig) -> None:
    """``Events: agent`` lets only agent events through; ``off`` none."""
    async def scenario() -> tuple[list[str], list[str]]:
        async with Simulator(sim_config) as sim:
            agent, silent = Recorder(), Recorder()
            clients = [AmiClient(ClientConfig(port=sim.port, username='cti',
                    secret='cti-secret', events=mask)) for mask in (
                'agent', 'off')]
            clients[0].on_event('*', agent)
            clients[1].on_event('*', silent)
            for client in clients:
                await client.start()
                await client.wait_connected(5)
            call = await sim.scenario('inbound', caller=CALLER)
            await call.finished.wait()
            for client in clients:
                await client.action('Ping')
                await client.close()
            return agent.names(), silent.names()
    agent, silent = run(scenario())
    assert 'AgentConnect' in agent and 'QueueCallerJoin' in agent
    assert not {'Newchannel', 'Hangup', 'Cdr', 'VarSet'} & set(agent)
    assert silent == []


def test_queue_pause_reason_and_status(sim_config: SimConfig) -> None:
    """QueuePause with a reason shows in the event and in QueueStatus."""
    async def scenario() -> None:
        async with linked(sim_config) as (sim, client, events):
            await client.action('QueuePause', Interface='PJSIP/1002',
                Paused='true', Reason='lunch')
            paused = await events.wait('QueueMemberPause')
            assert (paused['Paused'], paused['PausedReason']) == (
                '1', 'lunch')
            status = await client.action('QueueStatus', Queue='support')
            member = next(e for e in status.events
                if e.get('Location') == 'PJSIP/1002')
            assert (member['Paused'], member['PausedReason']) == (
                '1', 'lunch')
            await client.action('QueuePause', Interface='PJSIP/1002',
                Paused='false')
            unpaused = await events.wait('QueueMemberPause', Paused='0')
            assert unpaused['PausedReason'] == ''
            # A paused agent is skipped by the queue.
            sim.pause('1001', paused=True, reason='break')
            call = await sim.scenario('inbound', caller=CALLER)
            connect = await events.wait('AgentConnect')
            assert connect['Interface'] == 'PJSIP/1002'
            await call.finished.wait()
    run(scenario())


def test_pbx_clock_never_goes_back(sim_config: SimConfig) -> None:
    """At a fast tempo a call's clock runs ahead of real time; the next
    call, and a pause without a call, are still stamped after it, as on a
    real Asterisk whose events never go back in time."""
    async def scenario() -> None:
        async with linked(sim_config) as (sim, client, events):
            for _ in range(2):
                call = await sim.scenario('inbound', caller=CALLER,
                    agent='agent1')
                await call.finished.wait()
            await client.action('QueuePause', Interface='PJSIP/1002',
                Paused='true', Reason='lunch')
            await events.wait('QueueMemberPause')
            stamps = [float(e['Timestamp']) for e in events.events
                if e.get('Timestamp')]
            assert stamps == sorted(stamps)
            assert stamps[-1] > time.time() + 10   # calls ran ahead
    run(scenario())


def test_queue_add_remove(sim_config: SimConfig) -> None:
    """QueueAdd and QueueRemove change membership as Asterisk says."""
    async def scenario() -> None:
        async with linked(sim_config) as (sim, client, events):
            added = await client.action('QueueAdd', Queue='support',
                Interface='PJSIP/2001', MemberName='Agent 2001')
            assert added.get('Message') == 'Added interface to queue'
            again = await client.action('QueueAdd', Queue='support',
                Interface='PJSIP/2001', check=False)
            assert again.get('Message') == (
                'Unable to add interface: Already there')
            event = await events.wait('QueueMemberAdded')
            assert event['Membership'] == 'dynamic'
            await client.action('QueueRemove', Queue='support',
                Interface='PJSIP/2001')
            await events.wait('QueueMemberRemoved')
            status = await client.action('QueueStatus')
            assert 'PJSIP/2001' not in {e.get('Location')
                for e in status.events}
    run(scenario())


def test_core_show_channels_and_hangup_action(sim_config: SimConfig) -> None:
    """CoreShowChannels lists the live call; Hangup ends it from the
    agent's side; an unknown channel is an error."""
    async def scenario() -> None:
        async with linked(sim_config) as (sim, client, events):
            call = await sim.scenario('inbound', caller=CALLER,
                agent='1001', talk=None)
            await call.answered.wait()
            listing = await client.action('CoreShowChannels')
            rows = {e['Channel']: e for e in listing.events}
            agent = next(name for name in rows if name.startswith(
                'PJSIP/1001-'))
            assert rows[agent]['BridgeId'] and rows[agent]['Linkedid'] == (
                call.linkedid)
            assert len(rows) == 2
            missing = await client.action('Hangup', Channel='PJSIP/9-1',
                check=False)
            assert missing.get('Message') == 'No such channel'
            await client.action('Hangup', Channel=agent)
            complete = await events.wait('AgentComplete')
            assert complete['Reason'] == 'agent'
            await call.finished.wait()
            listing = await client.action('CoreShowChannels')
            assert listing.events == ()
    run(scenario())


def test_originate_action(sim_config: SimConfig) -> None:
    """Originate rings the agent's interface first, then the number; the
    OriginateResponse echoes the ActionID."""
    async def scenario() -> None:
        async with linked(sim_config) as (sim, client, events):
            reply = await client.action('Originate', Channel='PJSIP/1001',
                Context='outbound', Exten=CALLER, Priority=1, Async='true',
                CallerID='"Agent 1001" <1001>', Variable={'PURPOSE': 'x'})
            assert reply.get('Message') == 'Originate successfully queued'
            received = await sim.wait_action('Originate',
                lambda h: h['channel'] == 'PJSIP/1001')
            assert received['exten'] == CALLER
            response = await events.wait('OriginateResponse')
            assert response['ActionID'] == reply.get('ActionID')
            created = [e['Channel'] for e in events.events
                if e.name == 'Newchannel']
            assert created[0].startswith('PJSIP/1001-')
            assert created[1].startswith('PJSIP/trunk-')
            await events.wait('Cdr', Source=CALLER)
            bad = await client.action('Originate', Channel='PJSIP/7777',
                Exten=CALLER, Context='outbound', Async='true')
            assert bad.success
            failure = await events.wait('OriginateResponse',
                Response='Failure')
            assert failure['ActionID'] == bad.get('ActionID')
    run(scenario())


def test_unauthenticated_action_denied(sim_config: SimConfig) -> None:
    """Before Login, actions get Permission denied."""
    async def scenario() -> bytes:
        async with Simulator(sim_config) as sim:
            reader, writer = await asyncio.open_connection('127.0.0.1',
                sim.port)
            await reader.readline()
            writer.write(b'Action: Ping\r\nActionID: 7\r\n\r\n')
            answer = await reader.readuntil(b'\r\n\r\n')
            writer.close()
            return answer
    assert run(scenario()) == (b'Response: Error\r\nActionID: 7\r\n'
        b'Message: Permission denied\r\n\r\n')


def test_full_speed_many_calls(sim_config: SimConfig) -> None:
    """At full speed, 50 concurrent calls all end, with no call left."""
    config = dataclasses.replace(sim_config, tempo=0.0)

    async def scenario() -> None:
        async with linked(config) as (sim, client, events):
            calls = [await sim.scenario('inbound', caller=f'+4930{n:06d}')
                for n in range(50)]
            await asyncio.gather(*(c.finished.wait() for c in calls))
            await client.action('Ping')
            assert events.names().count('QueueCallerJoin') == 50
            assert events.names().count('QueueCallerLeave') == 50
            assert sim.pbx.channels == {}
    run(scenario())


def test_cli_simulate_through_sim_scenario(sim_config: SimConfig) -> None:
    """``callcenter simulate`` parses and drives a running simulator."""
    args = build_parser().parse_args(['simulate', 'inbound', '--from',
        CALLER, '--agent', 'agent1', '--queue', 'support'])
    assert args.handler.__name__ == '_simulate'

    async def scenario() -> None:
        async with linked(sim_config) as (sim, client, events):
            answer = dict(await control.send('127.0.0.1', sim.port, 'cti',
                'cti-secret', {'Scenario': args.scenario,
                    'From': args.caller, 'Agent': args.agent,
                    'Queue': args.queue}))
            assert answer['Response'] == 'Success'
            join = await events.wait('QueueCallerJoin')
            assert join['Uniqueid'] == answer['Uniqueid']
            connect = await events.wait('AgentConnect')
            assert connect['MemberName'] == 'Agent 1001'
            refused = dict(await control.send('127.0.0.1', sim.port, 'cti',
                'nope', {'Scenario': 'inbound'}))
            assert refused['Message'] == 'Authentication failed'
    run(scenario())


def test_cli_simulator_parser() -> None:
    """``callcenter simulator`` takes host, port, user, secret, speed."""
    args = build_parser().parse_args(['simulator', '--port', '0',
        '--full-speed'])
    assert isinstance(args, argparse.Namespace)
    assert (args.host, args.port, args.full_speed, args.handler.__name__) == (
        '127.0.0.1', 0, True, '_simulator')
