"""Transfers as Asterisk 22 reports them: the ``AttendedTransfer`` and
``BlindTransfer`` events of the simulator carry the real headers, failures
included, and the mapping logs the right target or none."""
from __future__ import annotations

import asyncio
import re
from dataclasses import replace

import pytest

from callcenter.pbxsim import SimConfig
from trytond.modules.callcenter_cti.bridge import mapping
from trytond.modules.callcenter_cti.bridge.protocol import (
    FrameParser, Message)

from pbxhelpers import Recorder, linked, real_capture, run

CALLER = '+8613800138000'


async def _transfer(config: SimConfig, scenario: str, target: str,
        ) -> Recorder:
    async with linked(config) as (sim, client, events):
        call = await sim.scenario(scenario, caller=CALLER, agent='1001',
            target=target)
        await call.finished.wait()
        await client.action('Ping')     # the last events are in
        return events


def _one(events: Recorder, name: str) -> Message:
    found, = [e for e in events.events if e.name == name]
    return found


def test_attended_transfer_logs_target(sim_config: SimConfig) -> None:
    """The target is the transfer target's extension, not the transferer's
    channel (the same one consults: captures/02_attended.txt) nor its
    caller ID (the transferer)"""
    events = run(_transfer(sim_config, 'attended_transfer', '1002'))
    event = _one(events, 'AttendedTransfer')
    assert event.get('Result') == 'Success'
    assert event.get('SecondTransfererChannel') == event.get(
        'OrigTransfererChannel')
    assert (event.get('TransferTargetChannel') or '').startswith(
        'PJSIP/1002-')
    assert [e['target'] for e in mapping.to_events(event)] == ['1002']


def test_attended_transfer_failed_not_logged(sim_config: SimConfig) -> None:
    "An attended transfer nobody answered (Result: Fail) logs no transfer"
    events = run(_transfer(sim_config, 'attended_transfer', '1009'))
    event = _one(events, 'AttendedTransfer')
    assert (event.get('Result'), event.get('DestType')) == ('Fail', 'Fail')
    assert mapping.to_events(event) == []


def test_blind_transfer_result_honoured(sim_config: SimConfig) -> None:
    "A BlindTransfer whose Result is not Success logs no transfer"
    events = run(_transfer(sim_config, 'blind_transfer', '1003'))
    event = _one(events, 'BlindTransfer')
    assert [e['target'] for e in mapping.to_events(event)] == ['1003']
    failed = Message(tuple((key, 'Fail' if key == 'Result' else value)
            for key, value in event.headers))
    assert mapping.to_events(failed) == []


def _real(name: str, event: str) -> Message:
    "The first ``event`` of a real Asterisk 22.10.1 capture."
    return next(m for m in real_capture(name) if m.name == event)


def _lab(config: SimConfig) -> SimConfig:
    "Agents and callers as Local channels, as on the real server."
    return replace(config, agent_tech='Local', caller_tech='Local')


def _fields(event: Message) -> list[str]:
    return sorted(key for key, _value in event.headers)


def test_attended_transfer_fields_as_asterisk(sim_config: SimConfig,
        ) -> None:
    """The simulator's AttendedTransfer has the fields of Asterisk
    22.10.1's (``OrigBridgeUniqueid``, not ``OrigBridgeBridgeUniqueid``)"""
    events = run(_transfer(_lab(sim_config), 'attended_transfer', '1002'))
    real = _real('02_attended.txt', 'AttendedTransfer')
    assert _fields(_one(events, 'AttendedTransfer')) == _fields(real)


def test_blind_transfer_as_asterisk(sim_config: SimConfig) -> None:
    """The simulator's BlindTransfer has the fields and ``IsExternal`` of
    Asterisk 22.10.1's and comes right after the transferer's Unhold"""
    events = run(_transfer(_lab(sim_config), 'blind_transfer', '1003'))
    real = _real('01_hold_resume_blind.txt', 'BlindTransfer')
    event = _one(events, 'BlindTransfer')
    assert _fields(event) == _fields(real)
    assert event.get('IsExternal') == real.get('IsExternal') == 'Yes'
    before = events.events[events.events.index(event) - 1]
    assert (before.name, before.get('Channel')) == (
        'Unhold', event.get('TransfererChannel'))


MOVES = {'Hold', 'Unhold', 'MusicOnHoldStart', 'MusicOnHoldStop',
    'BridgeCreate', 'BridgeEnter', 'BridgeLeave', 'BridgeMerge',
    'AttendedTransfer'}


def _consultation(events: list[Message]) -> list[tuple[str, str]]:
    "From the transferer's Hold to AttendedTransfer, channels shaped."
    names = [e.name for e in events]
    start, end = names.index('Hold'), names.index('AttendedTransfer')
    return [(e.name, re.sub(r'-[0-9a-f]{8}', '', e.get('Channel') or ''))
        for e in events[start:end + 1] if e.name in MOVES]


@pytest.mark.parametrize('block, name', [
    (1.0, '02_attended.txt'), (0.0, '02_attended_agent_left_first.txt')])
def test_attended_transfer_consults_as_asterisk(sim_config: SimConfig,
        block: float, name: str) -> None:
    """The agent's own channel moves to the consultation bridge while the
    caller hears music alone, and the bridges merge with the agent still
    there (the event names the target) or after it left (it does not), as
    in the two runs on Asterisk 22.10.1 (no second transferer channel, no
    MusicClass on Hold)"""
    events = run(_transfer(replace(_lab(sim_config),
                transfer_target_block=block), 'attended_transfer', '1002'))
    real = real_capture(name)
    assert _consultation(events.events) == _consultation(real)
    assert _fields(_one(events, 'Hold')) == _fields(_real(name, 'Hold'))
    assert _fields(_one(events, 'AttendedTransfer')) == _fields(
        _real(name, 'AttendedTransfer'))


async def _frames_of_refused_transfer(config: SimConfig) -> list[Message]:
    """What one AMI session reads, in order, after a BlindTransfer of a
    channel in no bridge (the ``;2`` half of a Local phone)."""
    async with linked(config) as (sim, _client, _events):
        call = await sim.scenario('inbound', caller=CALLER, agent='1001',
            talk=None)
        await call.answered.wait()
        half, = [c.name for c in call.channels if c.name.endswith(';2')
            and c.name.startswith('Local/1001@')]
        reader, writer = await asyncio.open_connection('127.0.0.1', sim.port)
        parser, frames = FrameParser(), []
        writer.write(b'Action: Login\r\nUsername: cti\r\nSecret: cti-secret'
            b'\r\n\r\nAction: BlindTransfer\r\nActionID: bt\r\nChannel: '
            + half.encode() + b'\r\nExten: 1003\r\nContext: agents\r\n\r\n')
        while not any(f.name == 'BlindTransfer' for f in frames):
            frames += parser.feed(await reader.read(65536))
        writer.close()
        sim.hangup(call, 'caller')
        await call.finished.wait()
        return frames


def test_refused_blind_transfer_answers_first(sim_config: SimConfig,
        ) -> None:
    """A refused BlindTransfer answers the error before its ``Result:
    Invalid`` event, as Asterisk 22.10.1 did (captures/01b_blind_on_hold)"""
    def order(frames: list[Message], action_id: str) -> list[str]:
        return [(f.get('Response') or f.name) for f in frames
            if f.get('ActionID') == action_id or f.name == 'BlindTransfer']
    frames = run(_frames_of_refused_transfer(
        replace(sim_config, agent_tech='Local')))
    real = real_capture('01b_blind_on_hold.cti-session.txt')
    assert order(frames, 'bt') == order(real, 'cti-35') == [
        'Error', 'BlindTransfer']
    event, = [f for f in frames if f.name == 'BlindTransfer']
    assert _fields(event) == _fields(_real(
        '01b_blind_on_hold.cti-session.txt', 'BlindTransfer'))
