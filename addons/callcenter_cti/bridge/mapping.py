"""Sans-IO translation of AMI events into the PBX-neutral event schema.

``to_events(message)`` turns one Asterisk :class:`~.protocol.Message` into
the dicts ``callcenter.call.register_events`` takes (schema in
``doc/index.rst``), ``to_states(message)`` into the changes
``callcenter.agent.set_states`` takes, and ``snapshot(events)`` turns the
``CoreShowChannel`` list into the channels of ``callcenter.call.sync_active``.
Everything Asterisk-specific stays here; unknown events map to ``[]``.

Channel conventions:

* ``PJSIP/1001-0000002a`` is interface ``PJSIP/1001``; a Local channel
  ``Local/1001@agents-00000001;1`` is interface ``Local/1001@agents/n``,
  the way queue members are written (``QueueMemberStatus``).
* The ``;2`` half of a Local channel is the same leg seen from the
  dialplan: its channel events are dropped and its call events (queue,
  variables, recordings) are reported on the call (``linkedid``) only.
* A channel whose ``Exten`` is its own extension (an ``Originate`` of the
  agent's phone) has no callee yet: it comes with the ``DialBegin`` of
  that channel. Channels in a trunk context (``from-trunk``, ``from-pstn``,
  ``incoming``) are inbound and name their trunk; channels in the agents'
  own context (``agents``, ``from-internal``) are ``internal`` (an origin
  without an agent is then an internal call, not an inbound one).
* ``ChanSpyStart`` is ``supervision`` of the spying channel's call (a
  supervisor listening), not a call of its own.
* ``ConfbridgeJoin`` of a room named after a Linkedid (the phone bar's
  conference) is reported on that call with ``join``: joining a ConfBridge
  does not change a channel's Linkedid in Asterisk 22 (seen on a real
  server), so the originated third agent's leg would stay a call of its own.
"""
from __future__ import annotations

import re
import time
from typing import Any, Iterable

from .protocol import Message

__all__ = [
    'CALL_EVENTS', 'STATE_EVENTS', 'Event', 'interface_of', 'snapshot',
    'to_events', 'to_states']

Event = dict[str, Any]

#: Dialplan variables reported as ``variable`` events (AMI name → ours).
VARIABLES = {
    'IVR_DIGITS': 'ivr_digits',
    'CALL_PURPOSE': 'purpose',
    'SATISFACTION': 'satisfaction',
    'CSAT': 'satisfaction',
    'SURVEY': 'survey',
    }
#: ``Newstate`` ChannelState → our kind (4 Ring is the caller's side).
_STATES = {'5': 'ringing', '6': 'answered'}
_TRUNK_CONTEXTS = ('from-trunk', 'from-pstn', 'from-external', 'incoming')
#: The agents' phones' own dialplan (ours, FreePBX's): not from outside.
_AGENT_CONTEXTS = ('agents', 'from-internal')
_UNKNOWN = {'', '<unknown>', '<null>'}
_LOGGED_OUT, _NOT_INUSE = {'4', '5'}, '1'   # invalid, unavailable; free
#: In use, busy, ringing, ringing in use, on hold: on a call, paused or not.
_ON_A_CALL = {'2', '3', '6', '7', '8'}
#: A room named after a Linkedid (``1700000000.42``), as conferences are.
_ROOM = re.compile(r'\d+\.\d+')
#: An epoch as Asterisk writes it; other digits or sizes are not times.
_STAMP = re.compile(r'[0-9]{1,11}(\.[0-9]{1,9})?')


def _value(message: Message, key: str) -> str | None:
    value = message.get(key)
    return None if value is None or value.strip() in _UNKNOWN else value


def interface_of(channel: str | None) -> str | None:
    """The device of a channel name, as queue members name it."""
    if not channel:
        return None
    name = channel.split(';', 1)[0]
    if '-' in name:
        name = name.rsplit('-', 1)[0]
    return name + '/n' if name.startswith('Local/') else name


def _extension(interface: str) -> str:
    "``1001`` for PJSIP/1001 and Local/1001@agents/n."
    return interface.split('/', 1)[-1].split('@', 1)[0]


def _is_half(channel: str | None) -> bool:
    return (channel or '').startswith('Local/') and (channel or '').endswith(
        ';2')


def _time(message: Message) -> float | None:
    stamp = (message.get('Timestamp') or '').strip()
    return float(stamp) if _STAMP.fullmatch(stamp) else None


def _integer(text: str | None, digits: int = 9) -> int | None:
    "ASCII digits, at most ``digits`` of them, as an int (else None)."
    text = (text or '').strip()
    return int(text) if (text.isascii() and text.isdigit()
        and len(text) <= digits) else None


def _base(message: Message, prefix: str = '') -> Event | None:
    """The ``uniqueid``/``linkedid``/``time`` of the (prefixed) channel,
    with the ``uniqueid`` left out for the ``;2`` half of a Local channel.
    """
    uniqueid = message.get(f'{prefix}Uniqueid')
    linkedid = message.get(f'{prefix}Linkedid') or None
    if not uniqueid and not linkedid:
        return None
    event: Event = {'linkedid': linkedid, 'time': _time(message)}
    if _is_half(message.get(f'{prefix}Channel')):
        if not linkedid:
            return None
    else:
        event['uniqueid'] = uniqueid
    return event


def _channel_created(message: Message, callee_from_exten: bool = True,
        ) -> list[Event]:
    channel = message.get('Channel')
    base = _base(message)
    if base is None or 'uniqueid' not in base:   # a Local ;2 half
        return []
    interface = interface_of(channel) or ''
    context = (message.get('Context') or '').lower()
    exten = _value(message, 'Exten')
    if exten in ('s', _extension(interface)) or not callee_from_exten:
        exten = None
    event = {**base, 'kind': 'channel_created', 'channel': channel,
        'interface': interface, 'caller': _value(message, 'CallerIDNum'),
        'caller_name': _value(message, 'CallerIDName'), 'callee': exten}
    if context.startswith(_TRUNK_CONTEXTS):
        event['direction'] = 'inbound'
        if not interface.startswith('Local/'):
            event['trunk'] = _extension(interface)
    elif context in _AGENT_CONTEXTS:
        event['internal'] = True
    return [event]


def _simple(kind: str, prefix: str = '', **extra: Any) -> Any:
    def convert(message: Message) -> list[Event]:
        base = _base(message, prefix)
        if base is None:
            return []
        return [{**base, 'kind': kind, **{
                    key: message.get(header) for key, header in extra.items()}}]
    return convert


def _leg_only(kind: str, **extra: Any) -> Any:
    "An event about the leg itself: nothing for a Local ``;2`` half."
    convert = _simple(kind, **extra)

    def leg(message: Message) -> list[Event]:
        return [] if _is_half(message.get('Channel')) else convert(message)
    return leg


def _newstate(message: Message) -> list[Event]:
    kind = _STATES.get(message.get('ChannelState') or '')
    return _leg_only(kind)(message) if kind else []


def _dial_begin(message: Message) -> list[Event]:
    "The dialling channel learns its callee (an Originate's second leg)."
    if not message.get('Channel') or _is_half(message.get('Channel')):
        return []
    return _channel_created(message)


def _hangup(message: Message) -> list[Event]:
    events = _leg_only('hangup')(message)
    for event in events:
        event['cause'] = _integer(message.get('Cause'), 3)
    return events


def _agent(kind: str) -> Any:
    convert = _simple(kind, queue='Queue')

    def agent(message: Message) -> list[Event]:
        events = convert(message)
        for event in events:
            event.pop('uniqueid', None)   # the caller's leg: keep it as is
            event['interface'] = (message.get('Interface')
                or interface_of(message.get('DestChannel')))
        return events
    return agent


def _varset(message: Message) -> list[Event]:
    variable = (message.get('Variable') or '').upper()
    value = message.get('Value')
    if variable == 'MIXMONITOR_FILENAME':
        return [{**e, 'filename': value}
            for e in _simple('recording')(message)]
    if variable == 'VM_MESSAGEFILE' and value:
        return [{**e, 'filename': value + '.wav'}
            for e in _simple('recording')(message)]
    name = VARIABLES.get(variable)
    if name is None:
        return []
    return [{**e, 'name': name, 'value': value}
        for e in _simple('variable')(message)]


def _newexten(message: Message) -> list[Event]:
    if (message.get('Application') or '').lower() != 'voicemail':
        return []
    mailbox = (message.get('AppData') or '').split(',', 1)[0] or None
    return [{**e, 'mailbox': mailbox} for e in _simple('voicemail')(message)]


def _transferred(message: Message) -> bool:
    "``Result: Success``; ``Fail``, ``Invalid``, ``Not Permitted`` moved none."
    return (message.get('Result') or '').strip().lower() == 'success'


def _conference_join(message: Message) -> list[Event]:
    """A member in a ConfBridge room. Joining does not change the
    channel's Linkedid (Asterisk 22); the phone bar names the room after
    the call's Linkedid, so the member's leg ``join`` s that call."""
    events = _leg_only('bridged')(message)
    room = _value(message, 'Conference') or ''
    if _ROOM.fullmatch(room):
        for event in events:
            event.update(linkedid=room, join=True)
    return events


def _blind_transfer(message: Message) -> list[Event]:
    if not _transferred(message):
        return []
    target = message.get('Extension')
    return [{**e, 'target': target}
        for e in _simple('transfer', 'Transferee')(message)]


def _attended_transfer(message: Message) -> list[Event]:
    """The target is the ``TransferTarget`` channel's extension (the
    transferer's second channel is in ``s`` and calls as the transferer)."""
    if not _transferred(message):
        return []
    exten = _value(message, 'TransferTargetExten')
    target = (exten if exten not in (None, 's') else None) or _extension(
        interface_of(message.get('TransferTargetChannel')) or '') or None
    return [{**e, 'target': target}
        for e in _simple('transfer', 'OrigTransferer')(message)]


CALL_EVENTS = {
    'newchannel': _channel_created,
    'newcallerid': lambda m: _channel_created(m, callee_from_exten=False),
    'newstate': _newstate,
    'dialbegin': _dial_begin,
    'bridgeenter': _leg_only('bridged'),
    'hold': _simple('hold'),
    'unhold': _simple('unhold'),
    # The customer redirected to MusicOnHold() by the phone bar's Hold
    # (a caller's Local ;2 half too: the call's event, no leg's).
    'musiconholdstart': _simple('hold'),
    'musiconholdstop': _simple('unhold'),
    'confbridgejoin': _conference_join,
    'hangup': _hangup,
    'queuecallerjoin': _simple('queue_join', queue='Queue'),
    'queuecallerleave': _simple('queue_leave', queue='Queue'),
    'queuecallerabandon': _simple('abandon', queue='Queue'),
    'agentcalled': _agent('agent_called'),
    'agentconnect': _agent('agent_connect'),
    'agentcomplete': _agent('agent_complete'),
    'varset': _varset,
    'newexten': _newexten,
    'blindtransfer': _blind_transfer,
    'attendedtransfer': _attended_transfer,
    'mixmonitorstart': _simple('recording'),
    # A supervisor's ChanSpy (no capture: Asterisk 22's event reference).
    'chanspystart': _simple('supervision', 'Spyer', spied='SpyeeLinkedid'),
    }


def to_events(message: Message) -> list[Event]:
    """The neutral call events of one AMI event (``[]`` when none)."""
    convert = CALL_EVENTS.get(message.name.lower())
    return convert(message) if convert and message.kind == 'event' else []


def _member_state(message: Message) -> Event | None:
    interface = message.get('Interface') or message.get('Location')
    if not interface:
        return None
    if message.name.lower() == 'queuememberremoved':
        # Logged out of this queue; ``Membership`` tells if of all.
        return {'state': 'logged_out', 'interface': interface,
            'queue': message.get('Queue'), 'time': _time(message)}
    paused = message.get('Paused') == '1'
    status = message.get('Status') or ''
    if status in _ON_A_CALL and message.name.lower() != 'queuememberpause':
        # Ringing and on call come with the call events, which also pop;
        # a paused agent who dials out is on a call, not "not ready".
        return None
    if paused:
        reason = (message.get('PausedReason') or message.get('Reason')
            or None)
        change: Event = {'state': 'not_ready', 'reason': reason}
    elif status in _LOGGED_OUT:
        change = {'state': 'logged_out'}
    elif status == _NOT_INUSE or message.name.lower() in (
            'queuememberpause', 'queuememberadded'):
        change = {'state': 'ready'}
    else:
        # Ringing and in-use come with the call events, which also pop.
        return None
    return {**change, 'interface': interface, 'time': _time(message)}


STATE_EVENTS = frozenset({'queuememberpause', 'queuememberstatus',
    'queuemember', 'queuememberadded', 'queuememberremoved'})


def to_states(message: Message) -> list[Event]:
    """Agent state changes (``set_states``) of a queue member event."""
    if message.kind != 'event' or message.name.lower() not in STATE_EVENTS:
        return []
    change = _member_state(message)
    return [change] if change else []


def _seconds(duration: str | None) -> float:
    "``HH:MM:SS`` of CoreShowChannel → seconds."
    total = 0.0
    for part in (duration or '').split(':'):
        total = total * 60 + (_integer(part) or 0)
    return total


def snapshot(events: Iterable[Message], now: float | None = None,
        ) -> list[Event]:
    """The channels of a ``CoreShowChannels`` answer, for ``sync_active``."""
    now = time.time() if now is None else now
    channels: list[Event] = []
    for message in events:
        if message.name.lower() != 'coreshowchannel':
            continue
        created = _channel_created(message)
        if not created:
            continue
        channel = created[0]
        del channel['kind']
        channel['time'] = now - _seconds(message.get('Duration'))
        channel['state'] = ('up' if message.get('ChannelState') == '6'
            else 'ringing')
        if (message.get('Application') or '').lower() == 'queue':
            channel['queue'] = (message.get('ApplicationData')
                or '').split(',', 1)[0] or None
        channels.append(channel)
    return channels
