"""Hold, resume and conference as AMI actions a stock Asterisk runs.

Asterisk has no AMI action that puts a PJSIP call on hold from the server
(hold is a re-INVITE sent by the phone), so the call is *moved* instead
(contexts of ``config/asterisk/extensions.conf``):

* hold: ``Setvar CALLCENTER_PEER`` on both channels (the hangup handler
  of the hold contexts hangs up the other one), then one ``Redirect`` of
  the customer's channel to ``callcenter-hold`` (``MusicOnHold()``) with
  the agent's channel as ``ExtraChannel`` to ``callcenter-hold-agent``;
* resume: ``Bridge`` ``Channel1`` the agent's channel, ``Channel2`` the
  customer's;
* conference: ``Redirect`` of both to ``callcenter-conference`` with the
  call's Linkedid as extension (the ConfBridge room), then ``Originate``
  of the picked agent's interface into the same room.

The channels are found with ``CoreShowChannels``: the agent's by its
interface, the customer as the other channel of the agent's bridge, or,
on hold, the channel of the same Linkedid in ``callcenter-hold``.
"""
from __future__ import annotations

from typing import Any

from .client import AmiClient
from .protocol import Message

__all__ = ['MOVES', 'moves_of']

HOLD, HOLD_AGENT = 'callcenter-hold', 'callcenter-hold-agent'
CONFERENCE = 'callcenter-conference'
HOLD_EXTEN = 'hold'
PEER_VARIABLE = 'CALLCENTER_PEER'
MOVES = ('hold', 'resume', 'conference')
Action = tuple[str, dict[str, str]]


class NoCall(Exception):
    "The agent has no call the move applies to."


def _agent_channel(channels: list[Message], interface: str) -> Message:
    prefix = interface.removesuffix('/n') + '-'
    found = [m for m in channels
        if (m.get('Channel') or '').startswith(prefix)]
    found.sort(key=lambda m: m.get('ChannelState') != '6')
    if not found:
        raise NoCall(interface)
    return found[0]


def _peer(channels: list[Message], agent: Message) -> Message:
    "The customer: the agent's bridge partner, or on hold, in our context."
    bridge = agent.get('BridgeId') or ''
    name, linkedid = agent.get('Channel'), agent.get('Linkedid')
    for channel in channels:
        if channel.get('Channel') == name or (channel.get('Channel')
                or '').endswith(';2'):
            continue
        if bridge and channel.get('BridgeId') == bridge:
            return channel
        if (channel.get('Linkedid') == linkedid
                and channel.get('Context') == HOLD):
            return channel
    raise NoCall(agent.get('Interface') or name)


def _redirect(customer: str, agent: str, context: str, extra: str,
        exten: str) -> Action:
    return ('Redirect', {'Channel': customer, 'Context': context,
            'Exten': exten, 'Priority': '1', 'ExtraChannel': agent,
            'ExtraContext': extra, 'ExtraExten': exten,
            'ExtraPriority': '1'})


def _setvar(channel: str, value: str) -> Action:
    return ('Setvar', {'Channel': channel, 'Variable': PEER_VARIABLE,
            'Value': value})


def plan(command: dict[str, Any], channels: list[Message]) -> list[Action]:
    "The actions of a move, given the ``CoreShowChannel`` list."
    agent = _agent_channel(channels, command['interface'])
    customer = _peer(channels, agent)
    a, c = agent.get('Channel') or '', customer.get('Channel') or ''
    action = command['action']
    if action == 'hold':
        return [_setvar(c, a), _setvar(a, c),
            _redirect(c, a, HOLD, HOLD_AGENT, HOLD_EXTEN)]
    if action == 'resume':
        return [('Bridge', {'Channel1': a, 'Channel2': c, 'Tone': 'no'})]
    room = agent.get('Linkedid') or ''
    params = command['parameters']
    return [_redirect(c, a, CONFERENCE, CONFERENCE, room),
        ('Originate', {'Channel': params['interface'],
                'Context': CONFERENCE, 'Exten': room, 'Priority': '1',
                'CallerID': f'"{command["name"]}" <{command["extension"]}>',
                'Timeout': '30000', 'Async': 'true'})]


async def moves_of(client: AmiClient, command: dict[str, Any],
        ) -> list[Action]:
    "Ask the PBX for the channels, then plan; ``NoCall`` if none."
    answer = await client.action('CoreShowChannels')
    return plan(command, answer.events)
