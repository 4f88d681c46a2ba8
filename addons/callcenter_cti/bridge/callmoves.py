"""Hold, resume, conference and transfers as AMI actions a stock
Asterisk runs.

Asterisk has no AMI action that puts a PJSIP call on hold from the server
(hold is a re-INVITE sent by the phone), so the call is *moved* instead
(contexts of ``config/asterisk/extensions.conf``):

* hold: ``Setvar CALLCENTER_PEER`` on both channels (the hangup handler
  of the hold contexts hangs up the other one), then one ``Redirect`` of
  the customer's channel to ``callcenter-hold`` (``MusicOnHold()``) with
  the agent's channel as ``ExtraChannel`` to ``callcenter-hold-agent``;
* resume: ``Setvar CALLCENTER_PEER`` to nothing on both channels (the
  handler the hold pushed then does nothing), then ``Bridge``
  ``Channel1`` the agent's channel, ``Channel2`` the customer's;
* conference: the same ``Setvar`` s, ``Redirect`` of both to
  ``callcenter-conference`` with the call's Linkedid as extension (the
  ConfBridge room), then ``Originate`` of the picked agent's interface
  into the same room;
* blind / attended transfer: the same ``Setvar`` s (unless on hold, when
  Asterisk refuses the transfer and the handler must stay armed), then
  ``BlindTransfer`` / ``Atxfer`` of the agent's channel to the target's
  extension in ``agents``;
* survey: the same, to ``survey`` in ``callcenter-survey`` (the caller
  answers the satisfaction survey, the agent is free).

The channels are found with ``CoreShowChannels``, listed in any order: the
agent's by its interface (the bridged ``;1`` half of a Local channel,
never the ``;2`` phone half), the customer as the other member of the
agent's bridge whatever its name, or, on hold, the channel of the same
Linkedid in ``callcenter-hold``. During an attended transfer's
consultation the agent's channel is bridged with the consulted agent and
the customer waits alone in the call's first bridge (Asterisk 22.10.1,
issue 17): that lone channel is the customer.
"""
from __future__ import annotations

from typing import Any

from .client import AmiClient
from .protocol import Message

__all__ = ['MOVES', 'agent_channel', 'moves_of']

HOLD, HOLD_AGENT = 'callcenter-hold', 'callcenter-hold-agent'
CONFERENCE = 'callcenter-conference'
HOLD_EXTEN = 'hold'
PEER_VARIABLE = 'CALLCENTER_PEER'
AGENTS = 'agents'
#: Commands → the AMI action that transfers the agent's channel.
TRANSFERS = {'blind_transfer': 'BlindTransfer',
    'attended_transfer': 'Atxfer'}
#: The survey context of the dialplan (the phone bar's Survey button).
SURVEY, SURVEY_EXTEN = 'callcenter-survey', 'survey'
MOVES = ('hold', 'resume', 'conference', *TRANSFERS, 'survey')
Action = tuple[str, dict[str, str]]


class NoCall(Exception):
    "The agent has no call the move applies to."


def agent_channel(channels: list[Message], interface: str) -> Message:
    """The agent's channel in the call, whatever order ``CoreShowChannels``
    lists them in: one of the interface's channels, never the ``;2`` (phone)
    half of a Local channel, bridged with another party before one that is
    not (on hold), Up before ringing."""
    prefix = interface.removesuffix('/n') + '-'
    found = [m for m in channels
        if (m.get('Channel') or '').startswith(prefix)
        and not (m.get('Channel') or '').endswith(';2')]
    if not found:
        raise NoCall(interface)
    return min(found, key=lambda m: (not _bridged(channels, m),
            m.get('ChannelState') != '6'))


def _bridged(channels: list[Message], channel: Message) -> bool:
    bridge = channel.get('BridgeId')
    return bool(bridge) and any(m.get('BridgeId') == bridge
        and m.get('Channel') != channel.get('Channel') for m in channels)


def _alone(channels: list[Message], channel: Message) -> bool:
    "In a bridge with nobody else (the customer waiting on a consultation)."
    bridge = channel.get('BridgeId')
    return bool(bridge) and not _bridged(channels, channel)


def _peer(channels: list[Message], agent: Message) -> Message:
    """The customer, whatever its name (a caller's Local ``;2`` half too):
    while the agent consults another agent (``Atxfer``), the channel of the
    call left alone in its first bridge (hearing music on hold); else the
    other member of the agent's bridge, or on hold, the channel of the call
    in our hold context."""
    bridge = agent.get('BridgeId') or ''
    name, linkedid = agent.get('Channel'), agent.get('Linkedid')
    for channel in channels:
        if (channel.get('Linkedid') == linkedid
                and channel.get('BridgeId') != bridge
                and _alone(channels, channel)):
            return channel
    for channel in channels:
        if channel.get('Channel') == name:
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


def _disarm(*channels: str) -> list[Action]:
    "Clear ``CALLCENTER_PEER``: the hold's hangup handler does nothing."
    return [_setvar(channel, '') for channel in channels]


def plan(command: dict[str, Any], channels: list[Message]) -> list[Action]:
    "The actions of a move, given the ``CoreShowChannel`` list."
    agent = agent_channel(channels, command['interface'])
    customer = _peer(channels, agent)
    a, c = agent.get('Channel') or '', customer.get('Channel') or ''
    action, params = command['action'], command['parameters']
    if action == 'hold':
        return [_setvar(c, a), _setvar(a, c),
            _redirect(c, a, HOLD, HOLD_AGENT, HOLD_EXTEN)]
    if action == 'resume':
        return _disarm(a, c) + [
            ('Bridge', {'Channel1': a, 'Channel2': c, 'Tone': 'no'})]
    if action in TRANSFERS:
        # On hold Asterisk refuses the transfer: keep the handler armed.
        disarm = _disarm(a, c) if _bridged(channels, agent) else []
        return disarm + [(TRANSFERS[action], {'Channel': a,
                    'Exten': params['extension'], 'Context': AGENTS})]
    if action == 'survey':
        disarm = _disarm(a, c) if _bridged(channels, agent) else []
        return disarm + [('BlindTransfer', {'Channel': a,
                    'Exten': SURVEY_EXTEN, 'Context': SURVEY})]
    room = agent.get('Linkedid') or ''
    return _disarm(a, c) + [_redirect(c, a, CONFERENCE, CONFERENCE, room),
        ('Originate', {'Channel': params['interface'],
                'Context': CONFERENCE, 'Exten': room, 'Priority': '1',
                'CallerID': f'"{command["name"]}" <{command["extension"]}>',
                'Timeout': '30000', 'Async': 'true'})]


async def moves_of(client: AmiClient, command: dict[str, Any],
        ) -> list[Action]:
    "Ask the PBX for the channels, then plan; ``NoCall`` if none."
    answer = await client.action('CoreShowChannels')
    return plan(command, answer.events)
