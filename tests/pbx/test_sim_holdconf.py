"""The simulator answers the hold, resume and conference moves (AMI
Redirect with ExtraChannel, Bridge, Originate into the room) as Asterisk
does, and the bridge plans them from CoreShowChannels."""
from __future__ import annotations

from dataclasses import replace

import pytest

from callcenter.pbxsim import SimConfig
from trytond.modules.callcenter_cti.bridge import callmoves, commands, mapping

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
            await events.wait('BridgeDestroy')
            redirect = await sim.wait_action('Redirect')
            assert redirect['extrachannel'] == agent
            assert redirect['context'] == 'callcenter-hold'
            # The order of Asterisk 22.10.1 (captures/01_hold_resume_blind)
            held = _after(events, start)
            assert held[:4] == [('BridgeLeave', customer),
                ('BridgeLeave', agent), ('MusicOnHoldStart', customer),
                ('BridgeDestroy', '')]
            assert [e.get('Channel') for e in events.events[start:]
                if e.name == 'HangupHandlerPush'] == [agent, customer]
            start = len(events.events)
            assert await _send(client, _command('resume')) == [
                'Variable Set', 'Variable Set', 'Channels have been bridged']
            await events.wait('BridgeEnter', Channel=customer)
            assert _after(events, start) == [
                ('BridgeCreate', ''), ('BridgeEnter', agent),
                ('MusicOnHoldStop', customer), ('BridgeEnter', customer)]
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



def _local(sim_config: SimConfig, order: str = 'reversed') -> SimConfig:
    "Local-channel phones and callers, channels listed last first."
    return replace(sim_config, agent_tech='Local', caller_tech='Local',
        channel_order=order)


async def _move(client: object, action: str, phone: str = 'PJSIP/1001',
        **parameters: str) -> tuple[bool, str]:
    "A command of ``phone`` as the bridge runs it (plan, send, answer)."
    return await commands.execute(client, {  # type: ignore[arg-type]
            **_command(action, **parameters), 'interface': phone})


async def _held_and_resumed(sim: object, client: object, events: Recorder,
        phone: str = 'PJSIP/1001') -> object:
    call = await sim.scenario('inbound', caller=CALLER,  # type: ignore
        agent='agent1', talk=None)
    await call.answered.wait()
    assert await _move(client, 'hold', phone) == (
        True, 'Dual Redirect successful')
    await events.wait('MusicOnHoldStart')
    assert await _move(client, 'resume', phone) == (
        True, 'Channels have been bridged')
    await events.wait('MusicOnHoldStop')
    return call


def test_blind_transfer_after_hold_keeps_customer(
        sim_config: SimConfig) -> None:
    """Hold, resume, then a blind transfer: the hold's hangup handler does
    not take the customer down with the agent's channel"""
    async def scenario() -> None:
        async with linked(sim_config) as (sim, client, events):
            call = await _held_and_resumed(sim, client, events)
            customer = call.channels[0].name  # type: ignore[attr-defined]
            agent = call.channels[-1].name  # type: ignore[attr-defined]
            assert await _move(client, 'blind_transfer',
                extension='1003') == (True, 'Transfer succeeded')
            await events.wait('Hangup', Channel=agent)
            await client.action('Ping')     # the handler's events are in
            assert customer in sim.pbx.channels
            target = await events.wait('DialEnd', DialStatus='ANSWER',
                DestExten='1003')
            assert target.get('DestChannel', '').startswith('PJSIP/1003-')
            sim.hangup(call, 'caller')  # type: ignore[arg-type]
            await call.finished.wait()  # type: ignore[attr-defined]
    run(scenario(), 30)


def test_conference_after_hold_keeps_agent(sim_config: SimConfig) -> None:
    "After a hold, the customer leaving the conference leaves the agent in"
    async def scenario() -> None:
        async with linked(sim_config) as (sim, client, events):
            call = await _held_and_resumed(sim, client, events)
            customer = call.channels[0].name  # type: ignore[attr-defined]
            agent = call.channels[-1].name  # type: ignore[attr-defined]
            assert (await _move(client, 'conference',
                interface='PJSIP/1003', extension='1003'))[0]
            answered = await events.wait('OriginateResponse',
                Response='Success')
            await events.wait('ConfbridgeJoin',
                Channel=answered.get('Channel'))
            await client.action('Hangup', Channel=customer)
            await events.wait('Hangup', Channel=customer)
            await client.action('Ping')     # the handler's events are in
            assert agent in sim.pbx.channels
            for channel in list(sim.pbx.channels):
                await client.action('Hangup', Channel=channel)
            await call.finished.wait()  # type: ignore[attr-defined]
    run(scenario(), 30)


@pytest.mark.parametrize('order', ['reversed', 'shuffled'])
def test_local_channels_listed_in_any_order(sim_config: SimConfig,
        order: str) -> None:
    """Local phones and callers: both halves are Up and listed ;2 first or
    in any order; the moves use the agent's bridged ;1 half and take the
    caller's ;2 half as the customer"""
    async def scenario() -> None:
        async with linked(_local(sim_config, order)) as (sim, client,
                events):
            interface = 'Local/1001@agents/n'
            call = await _held_and_resumed(sim, client, events, interface)
            redirect = await sim.wait_action('Redirect')
            assert redirect['extrachannel'].startswith(
                'Local/1001@agents-')
            assert redirect['extrachannel'].endswith(';1')
            assert redirect['channel'].startswith('Local/s@incoming-')
            assert redirect['channel'].endswith(';2')
            held = await events.wait('MusicOnHoldStart')
            assert [e['kind'] for e in mapping.to_events(held)] == ['hold']
            assert await _move(client, 'blind_transfer', interface,
                extension='1003') == (True, 'Transfer succeeded')
            await events.wait('DialEnd', DialStatus='ANSWER',
                DestExten='1003')
            sim.hangup(call, 'caller')  # type: ignore[arg-type]
            await call.finished.wait()  # type: ignore[attr-defined]
            assert sim.pbx.channels == {}
    run(scenario(), 30)


def test_blind_transfer_of_unbridged_channel_fails(
        sim_config: SimConfig) -> None:
    """A BlindTransfer of a channel on hold is refused (Result: Invalid):
    the command fails with Asterisk's message, no transfer is logged and
    the hold's hangup handler stays armed"""
    async def scenario() -> None:
        async with linked(sim_config) as (sim, client, events):
            call = await sim.scenario('inbound', caller=CALLER,
                agent='agent1', talk=None)
            await call.answered.wait()
            await _move(client, 'hold')
            await events.wait('MusicOnHoldStart')
            assert await _move(client, 'blind_transfer',
                extension='1003') == (False, 'Transfer invalid')
            event = await events.wait('BlindTransfer')
            assert event.get('Result') == 'Invalid'
            assert mapping.to_events(event) == []
            customer, agent = call.channels[0], call.channels[-1]
            assert agent.variables['CALLCENTER_PEER'] == customer.name
            sim.hangup(call, 'caller')
            await call.finished.wait()
    run(scenario(), 30)


def test_attended_transfer_local_phone(sim_config: SimConfig) -> None:
    """An attended transfer from a Local phone consults from the agent's
    bridged ;1 half (Atxfer on the ;2 half is accepted and does nothing)
    and the transfer to the target completes"""
    async def scenario() -> None:
        async with linked(_local(sim_config)) as (sim, client, events):
            interface = 'Local/1001@agents/n'
            call = await sim.scenario('inbound', caller=CALLER,
                agent='agent1', talk=None)
            await call.answered.wait()
            assert await _move(client, 'attended_transfer', interface,
                extension='1002') == (True, 'Atxfer successfully queued')
            atxfer = await sim.wait_action('Atxfer')
            assert atxfer['channel'].endswith(';1')
            sim.hangup(call, 'agent')   # Asterisk waits for the agent
            done = await events.wait('AttendedTransfer')
            assert done.get('Result') == 'Success'
            assert [e['target'] for e in mapping.to_events(done)] == ['1002']
            sim.hangup(call, 'caller')
            await call.finished.wait()
    run(scenario(), 30)
