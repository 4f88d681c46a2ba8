"""Transfers as Asterisk 22 reports them: the ``AttendedTransfer`` and
``BlindTransfer`` events of the simulator carry the real headers, failures
included, and the mapping logs the right target or none."""
from __future__ import annotations

from dataclasses import replace

from callcenter.pbxsim import SimConfig
from trytond.modules.callcenter_cti.bridge import mapping
from trytond.modules.callcenter_cti.bridge.protocol import Message

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
    second channel (``s``) nor its caller ID (the transferer)"""
    events = run(_transfer(sim_config, 'attended_transfer', '1002'))
    event = _one(events, 'AttendedTransfer')
    assert event.get('Result') == 'Success'
    assert event.get('SecondTransfererExten') == 's'
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
