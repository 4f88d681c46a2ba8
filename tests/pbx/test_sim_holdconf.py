"""The simulator answers the hold, resume and conference moves (AMI
Redirect with ExtraChannel, Bridge, Originate into the room) as Asterisk
does, and the bridge plans them from CoreShowChannels."""
from __future__ import annotations

from callcenter.pbxsim import SimConfig
from trytond.modules.callcenter_cti.bridge import callmoves

from pbxhelpers import Recorder, linked, run

CALLER = '+8613800138000'


def _command(action: str, **parameters: str) -> dict[str, object]:
    return {'action': action, 'interface': 'PJSIP/1001', 'name': 'Agent 1',
        'extension': '1001', 'parameters': parameters}


async def _send(client: object, command: dict[str, object]) -> list[str]:
    "Plan the move and send it; the answers' messages."
    messages = []
    for name, headers in await callmoves.moves_of(client, command):
        answer = await client.action(name, **headers)  # type: ignore
        messages.append(answer.get('Message'))
    return messages


def _after(events: Recorder, start: int) -> list[tuple[str, str]]:
    return [(e.name, e.get('Channel') or '') for e in events.events[start:]
        if e.name.startswith(('Bridge', 'MusicOnHold', 'Confbridge'))]


def test_hold_then_resume(sim_config: SimConfig) -> None:
    "Hold redirects both channels out of the bridge; resume bridges them"
    async def scenario() -> None:
        async with linked(sim_config) as (sim, client, events):
            call = await sim.scenario('inbound', caller=CALLER,
                agent='agent1', talk=None)
            await call.answered.wait()
            customer, agent = call.channels[0].name, call.channels[-1].name
            await events.wait('BridgeEnter', Channel=customer)
            start = len(events.events)
            assert await _send(client, _command('hold')) == [
                'Variable Set', 'Variable Set', 'Dual Redirect successful']
            await events.wait('MusicOnHoldStart', Channel=customer)
            redirect = await sim.wait_action('Redirect')
            assert redirect['extrachannel'] == agent
            assert redirect['context'] == 'callcenter-hold'
            held = _after(events, start)
            assert held[:3] == [('BridgeLeave', customer),
                ('BridgeLeave', agent), ('BridgeDestroy', '')]
            start = len(events.events)
            assert await _send(client, _command('resume')) == [
                'Channels have been bridged']
            await events.wait('BridgeEnter', Channel=customer)
            assert _after(events, start) == [
                ('MusicOnHoldStop', customer), ('BridgeCreate', ''),
                ('BridgeEnter', agent), ('BridgeEnter', customer)]
            sim.hangup(call, 'caller')
            await call.finished.wait()
            assert sim.pbx.channels == {}
    run(scenario(), 30)


def test_hangup_on_hold_ends_both(sim_config: SimConfig) -> None:
    "The customer hanging up on hold stops the music and frees the agent"
    async def scenario() -> None:
        async with linked(sim_config) as (sim, client, events):
            call = await sim.scenario('inbound', caller=CALLER,
                agent='agent1', talk=None)
            await call.answered.wait()
            await _send(client, _command('hold'))
            await events.wait('MusicOnHoldStart')
            sim.hangup(call, 'caller')
            await call.finished.wait()
            await client.action('Ping')     # the last events are in
            names = events.names()
            assert names.index('MusicOnHoldStop') < names.index('Hangup')
            assert sim.pbx.channels == {}
    run(scenario(), 30)


def test_conference_room(sim_config: SimConfig) -> None:
    """Conference: customer and agent join the room named after the call,
    the third agent is originated into it, keeps its own Linkedid (as
    Asterisk 22 does) and shows the asking agent's caller ID"""
    async def scenario() -> None:
        async with linked(sim_config) as (sim, client, events):
            call = await sim.scenario('inbound', caller=CALLER,
                agent='agent1', talk=None)
            await call.answered.wait()
            await _send(client, _command('conference',
                    interface='PJSIP/1003', extension='1003'))
            answered = await events.wait('OriginateResponse',
                Response='Success')
            third = await events.wait('ConfbridgeJoin',
                Channel=answered.get('Channel'))
            assert third.get('Conference') == call.linkedid
            assert third.get('Linkedid') == answered.get('Uniqueid')
            assert third.get('CallerIDNum') == '1001'
            originate = await sim.wait_action('Originate')
            assert originate['context'] == 'callcenter-conference'
            assert originate['exten'] == call.linkedid
            created = await events.wait('Newchannel',
                Channel=answered.get('Channel'))
            assert created.get('Linkedid') != call.linkedid
            joins = [e for e in events.events if e.name == 'ConfbridgeJoin']
            assert len(joins) == 3
            for channel in list(sim.pbx.channels):
                await client.action('Hangup', Channel=channel)
            await call.finished.wait()
            await client.action('Ping')     # the last events are in
            names = events.names()
            assert names.count('ConfbridgeLeave') == 3
            assert names.count('ConfbridgeEnd') == 1
            assert sim.pbx.channels == {}
    run(scenario(), 30)

