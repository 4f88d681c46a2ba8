"""Calls moved by AMI ``Redirect``/``Bridge``: hold and the ConfBridge room.

The CTI bridge holds a call by redirecting the customer's channel to
``callcenter-hold`` (``MusicOnHold()``) with the agent's channel as
``ExtraChannel`` to ``callcenter-hold-agent`` (``Wait()``), and resumes it
with the ``Bridge`` action; a conference redirects both to
``callcenter-conference``, exten the call's Linkedid (``ConfBridge()``),
and originates the third agent into the same room. Asterisk 22.10.1
answers a hold with ``BridgeLeave`` of both, ``HangupHandlerPush`` and
``Newexten`` of the agent then of the customer, ``MusicOnHoldStart`` and
last ``BridgeDestroy``; a Bridge action with ``BridgeCreate``,
``BridgeEnter`` of the agent, ``MusicOnHoldStop``, ``BridgeEnter`` of the
customer (``tests/pbx/captures/01_hold_resume_blind.txt``); ConfBridge gives ``ConfbridgeStart``, a ``BridgeEnter``
and ``ConfbridgeJoin`` per member, ``ConfbridgeLeave`` and finally
``ConfbridgeEnd``. The hold contexts push the ``callcenter-hold-end``
hangup handler, which hangs up the channel named by ``CALLCENTER_PEER``
(``Call.hangup``) for as long as the variable is set. Joining the room
does not change a channel's Linkedid (Asterisk 22 on a real server: the
originated third agent keeps the Linkedid of its own Originate); the
room's ``Conference`` name is the call's Linkedid, and the originated
channel's caller ID is the Originate's ``CallerID`` (the agent who asked
for the conference).
"""
from __future__ import annotations

import uuid

from .calls import Call, Leg, Request
from .config import SimConfig
from .model import Bridge, Channel

HOLD = 'callcenter-hold'
HOLD_AGENT = 'callcenter-hold-agent'
CONFERENCE = 'callcenter-conference'
HOLD_END = 'callcenter-hold-end'
CONTEXTS = (HOLD, CONFERENCE)


async def serve(call: Call, cfg: SimConfig, request: Request,
        caller_ch: Channel, parties: list[Leg], bridge: Bridge) -> None:
    "Carry out a Redirect to our contexts or a Bridge action."
    if request.kind == 'bridge':
        resume(call, request, bridge)
    elif request.context == HOLD:
        hold(call, request, bridge)
    elif request.context == CONFERENCE:
        await conference(call, cfg, request, bridge)


def _unbridge(call: Call, bridge: Bridge, *channels: Channel) -> None:
    for channel in channels:
        call.leave(channel)
    if not bridge.channels:
        call.destroy(bridge)


def _goto(call: Call, channel: Channel, context: str, exten: str,
        application: str, data: str = '') -> None:
    channel.context, channel.exten, channel.priority = context, exten, 1
    call.newexten(channel, application, data)


def hold(call: Call, request: Request, bridge: Bridge) -> None:
    """Both leave the bridge; the agent goes to ``Wait()``, the customer to
    ``MusicOnHold()``, each pushing the hold-end hangup handler; the
    emptied bridge goes last (Asterisk 22.10.1,
    ``tests/pbx/captures/01_hold_resume_blind.txt``)."""
    customer = call.pbx.find(request.channel)
    agent = call.pbx.find(request.extra)
    if customer is None or agent is None:
        return
    for channel in (customer, agent):
        call.leave(channel)
    _park(call, agent, HOLD_AGENT, request.target, 'Wait', '3600')
    _park(call, customer, HOLD, request.target, 'MusicOnHold', 'default')
    call.emit('MusicOnHoldStart', 'call', customer.block()
        + [('Class', 'default')])
    call.held = customer
    if not bridge.channels:
        call.destroy(bridge)


def _park(call: Call, channel: Channel, context: str, exten: str,
        application: str, data: str) -> None:
    """Priority 1 of the hold contexts pushes the hangup handler; it stays
    on the channel after a Bridge or a Redirect moved it on."""
    channel.context, channel.exten, channel.priority = context, exten, 1
    channel.hangup_handler = HOLD_END
    call.emit('HangupHandlerPush', 'dialplan', channel.block()
        + [('Handler', f'{HOLD_END},s,1')])
    channel.priority = 2
    call.newexten(channel, application, data)


def stop_music(call: Call) -> None:
    "``MusicOnHoldStop`` of the held customer (resumed or hung up)."
    if call.held is not None:
        call.emit('MusicOnHoldStop', 'call', call.held.block())
        call.held = None


def resume(call: Call, request: Request, bridge: Bridge) -> None:
    first = call.pbx.find(request.channel)
    second = call.pbx.find(request.extra)
    if first is None or second is None:
        return
    bridge.uniqueid, bridge.destroyed = str(uuid.uuid4()), False
    call.emit('BridgeCreate', 'call', bridge.block())
    # Asterisk 22.10.1 stops the music once the agent is in the new bridge
    # (``tests/pbx/captures/01_hold_resume_blind.txt``).
    call.enter(bridge, first)
    stop_music(call)
    call.enter(bridge, second)


async def conference(call: Call, cfg: SimConfig, request: Request,
        bridge: Bridge) -> None:
    """Both channels go to the room; serve invitations and hang-ups until
    the room is empty, then mark the call over."""
    stop_music(call)
    members = [c for c in (call.pbx.find(request.channel),
            call.pbx.find(request.extra)) if c is not None]
    _unbridge(call, bridge, *members)
    room = Bridge(creator='ConfBridge', name=request.target)
    call.emit('BridgeCreate', 'call', room.block())
    call.emit('ConfbridgeStart', 'call', [('Conference', room.name)]
        + room.block())
    for channel in members:
        _goto(call, channel, CONFERENCE, room.name, 'ConfBridge', room.name)
        _join(call, room, channel)
    while room.channels:
        await call.clock.wait(None, call.wakeup)
        asked = call.next_request()
        if asked is None:
            continue
        if asked.kind == 'invite':
            await _invite(call, cfg, room, asked)
        elif asked.kind == 'hangup':
            _leave(call, room, asked.channel)
    call.emit('ConfbridgeEnd', 'call', [('Conference', room.name)]
        + room.block())
    call.destroy(room)
    call.over = True


def _join(call: Call, room: Bridge, channel: Channel) -> None:
    call.enter(room, channel)
    call.emit('ConfbridgeJoin', 'call', [('Conference', room.name)]
        + room.block() + channel.block() + [('Admin', 'No'),
            ('Muted', 'No')])


def _leave(call: Call, room: Bridge, name: str) -> None:
    channel = next((c for c in room.channels if c.name == name), None)
    if channel is None:
        return
    call.emit('ConfbridgeLeave', 'call', [('Conference', room.name)]
        + room.block() + channel.block() + [('Admin', 'No')])
    call.hangup(channel)


async def _invite(call: Call, cfg: SimConfig, room: Bridge,
        request: Request) -> None:
    """Originate of an agent's phone into the room: a channel of its own
    Linkedid until it joins."""
    extension = cfg.agent(request.channel)
    channel = call.pbx.new_channel(
        f'{request.channel}-{call.pbx.next_sequence()}', linkedid=None,
        context='agents', exten=extension, at=call.clock.now)
    channel.agent = extension
    name, _, number = request.caller_id.rpartition('<')
    channel.cid_num = number.rstrip('>').strip() or extension
    channel.cid_name = name.strip().strip('"') or f'Agent {extension}'
    call.channels.append(channel)
    call.emit('Newchannel', 'call', channel.block())
    leg = Leg(channel, channel, request.channel)
    call.dial_begin(None, leg)
    call.ringing(None, leg)
    await call.clock.wait(cfg.ring)
    call.answer_leg(None, leg)
    call.emit('OriginateResponse', 'call', [
        ('ActionID', request.action_id), ('Response', 'Success'),
        ('Channel', channel.name), ('Context', CONFERENCE),
        ('Exten', room.name), ('Reason', '4'),
        ('Uniqueid', channel.uniqueid), ('CallerIDNum', channel.cid_num),
        ('CallerIDName', channel.cid_name)])
    _goto(call, channel, CONFERENCE, room.name, 'ConfBridge', room.name)
    _join(call, room, channel)
