"""The simulator's event sequences against the real Asterisk 22 captures.

The simulator runs with the lab configuration of the captures (agents and
customers as ``Local/…/n`` channels). Compared: the order of the key events,
the field names of every event, the channels' shapes and the Linkedid.
"""
from __future__ import annotations

import dataclasses
import re
from collections import defaultdict
import pytest

from callcenter.pbxsim import SimConfig
from trytond.modules.callcenter_cti.bridge.protocol import FrameParser, Message

from pbxhelpers import answer, capture, linked, real_capture, run

KEY = {'MixMonitorStart', 'QueueCallerJoin', 'AgentCalled', 'DialBegin',
    'DialState', 'DialEnd', 'QueueCallerLeave', 'AgentConnect',
    'BridgeCreate', 'BridgeEnter', 'AgentComplete', 'BridgeLeave',
    'BridgeDestroy', 'OriginateResponse', 'LocalBridge'}


def _capture_events(name: str) -> list[Message]:
    return [m for m in FrameParser().feed(capture(name))
        if m.kind == 'event']


def _shape(channel: str | None) -> str:
    return re.sub(r'-[0-9a-f]{8}', '', channel or '')


def _inbound_key(event: Message) -> bool:
    """The capture's caller is an originated Local pair (a lab artefact);
    keep the queue's dialling, which has a calling ``Channel``."""
    if event.name in ('DialBegin', 'DialState', 'DialEnd', 'LocalBridge',
            'OriginateResponse'):
        return 'Channel' in event and event.name != 'OriginateResponse'
    return event.name in KEY


def _outbound_key(event: Message) -> bool:
    return event.name in KEY


async def _simulate(config: SimConfig, scenario: str,
        **params: object) -> list[Message]:
    async with linked(config) as (sim, client, events):
        call = await sim.scenario(scenario, **params)
        await call.finished.wait()
        await client.action('Ping')   # every event of the call has arrived
        return [e for e in events.events if e.name != 'FullyBooted']


CASES = {
    'inbound': ('inbound_queue_call.txt', _inbound_key, dict(
        caller='+4930123456', name='Alice', agent='1001', queue='support',
        talk=8)),
    'click_to_dial': ('outbound_click_to_dial.txt', _outbound_key, dict(
        agent='1001', number='+4940555123', talk=8)),
}


@pytest.fixture
def lab(sim_config: SimConfig) -> SimConfig:
    return dataclasses.replace(sim_config, agent_tech='Local',
        customer_dial='Local/{number}@customers/n')


@pytest.mark.parametrize('scenario', sorted(CASES))
def test_key_event_order(lab: SimConfig, scenario: str) -> None:
    """Same key events in the same order, on the same channel shapes."""
    name, key, params = CASES[scenario]
    expected = [(e.name, _shape(e.get('Channel')), _shape(
        e.get('DestChannel'))) for e in _capture_events(name) if key(e)]
    got = [(e.name, _shape(e.get('Channel')), _shape(e.get('DestChannel')))
        for e in run(_simulate(lab, scenario, **params)) if key(e)]
    if scenario == 'inbound':    # our caller is a trunk, not Local/s@…;2
        expected = [(n, '', d) for n, _c, d in expected]
        got = [(n, '', d) for n, _c, d in got]
    assert got == expected


@pytest.mark.parametrize('scenario', sorted(CASES))
def test_field_names(lab: SimConfig, scenario: str) -> None:
    """Every event we emit has a field list Asterisk used for that name."""
    layouts: dict[str, set[tuple[str, ...]]] = defaultdict(set)
    for name in ('inbound_queue_call.txt', 'outbound_click_to_dial.txt'):
        for event in _capture_events(name):
            layouts[event.name].add(tuple(k for k, _v in event.headers))
    events = run(_simulate(lab, scenario, **CASES[scenario][2]))
    compared = 0
    for event in events:
        if event.name in layouts:
            compared += 1
            fields = tuple(k for k, _v in event.headers)
            assert fields in layouts[event.name], event.name
    assert compared > 30


@pytest.mark.parametrize('scenario', sorted(CASES))
def test_linkedid_and_uniqueid(lab: SimConfig, scenario: str) -> None:
    """Like the captures: one Linkedid, the first channel's Uniqueid, and
    Uniqueids of the form <epoch>.<counter>."""
    def check(events: list[Message]) -> None:
        linked_ids = {e['Linkedid'] for e in events if 'Linkedid' in e}
        first = next(e['Uniqueid'] for e in events if e.name == 'Newchannel')
        assert linked_ids == {first}
        assert all(re.fullmatch(r'\d{10}\.\d+', e['Uniqueid'])
            for e in events if e.name == 'Newchannel')
    check(_capture_events(CASES[scenario][0]))
    check(run(_simulate(lab, scenario, **CASES[scenario][2])))


def test_local_halves_like_the_capture(lab: SimConfig) -> None:
    """Each Local leg shows up as ;1 and ;2 with a LocalBridge."""
    events = run(_simulate(lab, 'click_to_dial', agent='1001',
        number='+4940555123', talk=8))
    created = [_shape(e['Channel']) for e in events
        if e.name == 'Newchannel']
    expected = [_shape(e['Channel']) for e in _capture_events(
        'outbound_click_to_dial.txt') if e.name == 'Newchannel']
    assert created == expected == [
        'Local/1001@agents;1', 'Local/1001@agents;2',
        'Local/+4940555123@customers;1', 'Local/+4940555123@customers;2']


def _agent_line(channels: list[Message]) -> tuple[str | None, ...]:
    "Where the agent's bridged ;1 half is, as CoreShowChannels lists it."
    line, = [c for c in channels if c.name == 'CoreShowChannel'
        and _shape(c.get('Channel')) == 'Local/1001@agents;1']
    return tuple(line.get(key) for key in (
            'Context', 'Exten', 'Application', 'ApplicationData'))


def test_agent_line_listed_like_asterisk(lab: SimConfig) -> None:
    """During a queue call CoreShowChannels lists the agent's ;1 half in
    exten ``s``, application ``AppQueue``, as Asterisk 22.10.1 did"""
    async def listed() -> list[Message]:
        async with linked(dataclasses.replace(lab, caller_tech='Local')) as (
                sim, client, _events):
            call = await sim.scenario('inbound', caller='+4930123456',
                agent='1001', queue='support', talk=None)
            await call.answered.wait()
            channels = (await client.action('CoreShowChannels')).events
            sim.hangup(call, 'caller')
            await call.finished.wait()
            return channels
    real = answer(real_capture('02_attended.cti-session.txt'), 'cti-4')
    assert _agent_line(run(listed())) == _agent_line(real) == (
        'agents', 's', 'AppQueue', '(Outgoing Line)')
