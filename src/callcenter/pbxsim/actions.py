"""AMI actions the simulator answers, with Asterisk 18-22's wording.

Each handler returns the frames for the asking session; events that every
session may see go through ``Simulator.emit``.
"""
from __future__ import annotations

import asyncio
import random
import time
from typing import TYPE_CHECKING, Awaitable, Callable

from . import moves, outbound
from .calls import Request
from .model import Channel, Member
from .recording import write_tone
from .wire import Headers, lookup

if TYPE_CHECKING:
    from .server import Session, Simulator

Frames = list[Headers]
Handler = Callable[['Simulator', 'Session', Headers], Awaitable[Frames]]


def ok(message: str = '', *extra: tuple[str, str]) -> Headers:
    return [('Response', 'Success')] + (
        [('Message', message)] if message else []) + list(extra)


def error(message: str) -> Headers:
    return [('Response', 'Error'), ('Message', message)]


def _true(value: str) -> bool:
    return value.lower() in ('1', 'true', 'yes', 'on')


async def ping(sim: Simulator, session: Session, h: Headers) -> Frames:
    return [ok('', ('Ping', 'Pong'), ('Timestamp', f'{sim.pbx_time():.6f}'))]


async def events(sim: Simulator, session: Session, h: Headers) -> Frames:
    session.set_mask(lookup(h, 'EventMask', 'on'))
    return [[('Response', 'Success'),
        ('Events', 'On' if session.mask != set() else 'Off')]]


async def originate(sim: Simulator, session: Session, h: Headers) -> Frames:
    room = _into_room(sim, h)
    if room is not None:
        return room
    if outbound.is_campaign(h):
        outbound.spawn(sim, h)
        return [ok('Originate successfully queued')]
    channel, exten = lookup(h, 'Channel'), lookup(h, 'Exten')
    try:
        agent = sim.config.agent(channel)
    except ValueError:
        agent = None
    name, _, number = lookup(h, 'CallerID').rpartition('<')
    caller_id = (number.rstrip('>').strip(), name.strip().strip('"')) if (
        number) else None
    if agent is None or not exten:
        if not _true(lookup(h, 'Async')):
            return [error('Originate failed')]
        sim.emit('OriginateResponse', 'call', [
            ('ActionID', lookup(h, 'ActionID')), ('Response', 'Failure'),
            ('Channel', channel), ('Context', lookup(h, 'Context')),
            ('Exten', exten), ('Reason', '0'), ('Uniqueid', '<null>'),
            ('CallerIDNum', '<unknown>'), ('CallerIDName', '<unknown>')])
        return [ok('Originate successfully queued')]
    call = await sim.scenario('click_to_dial', agent=agent, number=exten,
        action_id=lookup(h, 'ActionID'), channel=channel,
        caller_id=caller_id)
    if not _true(lookup(h, 'Async')):
        await call.answered.wait()
    return [ok('Originate successfully queued')]


def _transfer(kind: str, done: str) -> Handler:
    """BlindTransfer/Atxfer. A channel in no bridge (the ``;2`` half of a
    Local phone, a channel on hold) cannot be transferred: BlindTransfer
    answers an error, then emits ``Result: Invalid`` (Asterisk 22.10.1,
    ``tests/pbx/captures/01b_blind_on_hold.cti-session.txt``), Atxfer only
    queues DTMF that nobody acts on (``manager.c`` ``action_atxfer``, from
    the source)."""
    async def handler(sim: Simulator, session: Session,
            h: Headers) -> Frames:
        channel = lookup(h, 'Channel')
        call = sim.call_of(channel)
        if call is None:
            return [error('No such channel')]
        found = sim.pbx.find(channel)
        if found is not None and found.bridge is None:
            if kind == 'attended':
                return [ok(done)]
            # After the answer: the session sends it before yielding.
            asyncio.get_running_loop().call_soon(call.emit, 'BlindTransfer',
                'call', [('Result', 'Invalid')] + found.block('Transferer')
                + [('IsExternal', 'Yes'), ('Context', lookup(h, 'Context')),
                    ('Extension', lookup(h, 'Exten'))])
            return [error('Transfer invalid')]
        call.request(Request(kind, channel, lookup(h, 'Exten'),
            context=lookup(h, 'Context')))
        return [ok(done)]
    return handler


async def redirect(sim: Simulator, session: Session, h: Headers) -> Frames:
    """To our hold/conference contexts (with ``ExtraChannel``): a move of
    the call (``moves``); elsewhere: a blind transfer."""
    channel, extra = lookup(h, 'Channel'), lookup(h, 'ExtraChannel')
    call = sim.call_of(channel)
    if call is None or (extra and sim.call_of(extra) is not call):
        return [error('No such channel')]
    context = lookup(h, 'Context')
    if context not in moves.CONTEXTS:
        call.request(Request('blind', channel, lookup(h, 'Exten')))
        return [ok('Redirect successful')]
    call.request(Request('redirect', channel, lookup(h, 'Exten'),
        extra=extra, context=context))
    return [ok('Dual Redirect successful' if extra
            else 'Redirect successful')]


async def bridge(sim: Simulator, session: Session, h: Headers) -> Frames:
    first, second = lookup(h, 'Channel1'), lookup(h, 'Channel2')
    call = sim.call_of(first)
    if call is None or sim.call_of(second) is not call:
        return [error('Channel2 does not exist' if call
                else 'Channel1 does not exist')]
    call.request(Request('bridge', first, extra=second))
    return [ok('Channels have been bridged')]


async def setvar(sim: Simulator, session: Session, h: Headers) -> Frames:
    name = lookup(h, 'Channel')
    channel, call = sim.pbx.find(name), sim.call_of(name)
    if channel is None or call is None:
        return [error('No such channel')]
    call.varset(channel, lookup(h, 'Variable'), lookup(h, 'Value'))
    return [ok('Variable Set')]


def _into_room(sim: Simulator, h: Headers) -> Frames | None:
    "An Originate into a ConfBridge room: the room's call invites it."
    if lookup(h, 'Context') != moves.CONFERENCE:
        return None
    room = lookup(h, 'Exten')
    call = next((c for c in sim.calls if c.linkedid == room), None)
    if call is None:
        return [error('Originate failed')]
    call.request(Request('invite', lookup(h, 'Channel'), room,
        context=moves.CONFERENCE, action_id=lookup(h, 'ActionID'),
        caller_id=lookup(h, 'CallerID')))
    return [ok('Originate successfully queued')]


async def hangup(sim: Simulator, session: Session, h: Headers) -> Frames:
    channel = lookup(h, 'Channel')
    call = sim.call_of(channel)
    if call is None:
        return [error('No such channel')]
    call.request(Request('hangup', channel))
    return [ok('Channel Hungup')]


async def queue_pause(sim: Simulator, session: Session,
        h: Headers) -> Frames:
    paused = _true(lookup(h, 'Paused'))
    found = sim.pause(lookup(h, 'Interface'), paused=paused,
        reason=lookup(h, 'Reason'), queue=lookup(h, 'Queue') or None)
    if not found:
        return [error('Interface not found')]
    return [ok('Interface paused successfully' if paused
            else 'Interface unpaused successfully')]


async def queue_add(sim: Simulator, session: Session, h: Headers) -> Frames:
    queue, interface = lookup(h, 'Queue'), lookup(h, 'Interface')
    if queue not in sim.pbx.queues:
        return [error('Unable to add interface to queue: No such queue')]
    if interface in sim.pbx.queues[queue].members:
        return [error('Unable to add interface: Already there')]
    extension = sim.pbx.extension_of(interface) or interface.rpartition(
        '/')[2].partition('@')[0]
    sim.pbx.agents.setdefault(extension, interface)
    member = sim.pbx.add_member(queue, interface, extension,
        lookup(h, 'MemberName'), membership='dynamic')
    member.paused = _true(lookup(h, 'Paused'))
    member.penalty = int(lookup(h, 'Penalty') or 0)
    sim.emit('QueueMemberAdded', 'agent', member.block())
    return [ok('Added interface to queue')]


async def queue_remove(sim: Simulator, session: Session,
        h: Headers) -> Frames:
    queue, interface = lookup(h, 'Queue'), lookup(h, 'Interface')
    member = sim.pbx.queues.get(queue, None)
    removed = member.members.pop(interface, None) if member else None
    if removed is None:
        return [error('Unable to remove interface: Not there')]
    sim.emit('QueueMemberRemoved', 'agent', removed.block())
    return [ok('Removed interface from queue')]


async def core_show_channels(sim: Simulator, session: Session,
        h: Headers) -> Frames:
    action_id = [('ActionID', lookup(h, 'ActionID'))]
    frames = [ok('Channels will follow', ('EventList', 'start'))]
    now = sim.pbx_time()
    for channel in _listed(sim):
        seconds = int(max(now - channel.created, 0))
        frames.append([('Event', 'CoreShowChannel')] + action_id
            + channel.block() + [
                ('BridgeId', channel.bridge.uniqueid if channel.bridge
                    else ''),
                ('Application', channel.application),
                ('ApplicationData', channel.app_data),
                ('Duration', time.strftime('%H:%M:%S',
                    time.gmtime(seconds)))])
    frames.append([('Event', 'CoreShowChannelsComplete')] + action_id + [
        ('EventList', 'Complete'), ('ListItems', str(len(frames) - 1))])
    return frames


def _listed(sim: Simulator) -> list[Channel]:
    "The channels in the configured ``CoreShowChannels`` order."
    channels = list(sim.pbx.channels.values())
    order = sim.config.channel_order
    if order == 'reversed':
        channels.reverse()
    elif order == 'shuffled':
        random.shuffle(channels)
    return channels


def _member_status(member: Member) -> Headers:
    block = dict(member.block())
    return [('Queue', member.queue), ('Name', member.name),
        ('Location', member.interface)] + [(key, block[key]) for key in (
            'StateInterface', 'Membership', 'Penalty', 'CallsTaken',
            'LastCall', 'LastPause', 'LoginTime', 'InCall', 'Status',
            'Paused', 'PausedReason', 'Wrapuptime')]


async def queue_status(sim: Simulator, session: Session,
        h: Headers) -> Frames:
    action_id = [('ActionID', lookup(h, 'ActionID'))]
    wanted = lookup(h, 'Queue')
    frames = [ok('Queue status will follow', ('EventList', 'start'))]
    now = sim.pbx_time()
    for queue in sim.pbx.queues.values():
        if wanted and queue.name != wanted:
            continue
        frames.append([('Event', 'QueueParams')] + action_id + [
            ('Queue', queue.name), ('Max', '0'), ('Strategy', 'rrmemory'),
            ('Calls', str(len(queue.entries))), ('Holdtime', '0'),
            ('TalkTime', '0'), ('Completed', str(queue.completed)),
            ('Abandoned', str(queue.abandoned)), ('ServiceLevel', '0'),
            ('ServicelevelPerf', '0.0'), ('ServicelevelPerf2', '0.0'),
            ('Weight', '0')])
        for member in queue.members.values():
            frames.append([('Event', 'QueueMember')] + action_id
                + _member_status(member))
        for position, channel in enumerate(queue.entries, 1):
            frames.append([('Event', 'QueueEntry')] + action_id + [
                ('Queue', queue.name), ('Position', str(position)),
                ('Channel', channel.name), ('Uniqueid', channel.uniqueid),
                ('CallerIDNum', channel.cid_num),
                ('CallerIDName', channel.cid_name),
                ('ConnectedLineNum', channel.conn_num),
                ('ConnectedLineName', channel.conn_name),
                ('Wait', str(int(now - channel.created))),
                ('Priority', '0')])
    frames.append([('Event', 'QueueStatusComplete')] + action_id + [
        ('EventList', 'Complete'), ('ListItems', str(len(frames) - 1))])
    return frames


async def mix_monitor(sim: Simulator, session: Session,
        h: Headers) -> Frames:
    channel = sim.pbx.find(lookup(h, 'Channel'))
    call = sim.call_of(lookup(h, 'Channel'))
    if channel is None or call is None:
        return [error('No such channel')]
    name = lookup(h, 'File') or f'{channel.uniqueid}.wav'
    path = write_tone(sim.config.recordings / name)
    call.recording = path
    call.varset(channel, 'MIXMONITOR_FILENAME', str(path))
    call.emit('MixMonitorStart', 'call', channel.block())
    return [ok('', ('MixMonitorID', f'0x{id(path):x}'))]


async def sim_scenario(sim: Simulator, session: Session,
        h: Headers) -> Frames:
    """Private ``Action: SimScenario`` (see ``pbxsim.control``)."""
    params: dict[str, object] = {
        ('caller' if key.lower() == 'from' else key.lower()): value
        for key, value in h
        if key.lower() not in ('action', 'actionid', 'scenario')}
    for key in ('talk', 'ring', 'wait', 'hold', 'after', 'message'):
        if key in params:
            params[key] = float(str(params[key]))
    scenario = lookup(h, 'Scenario').lower()
    if scenario in ('pause', 'unpause'):
        if not sim.pause(str(params.get('agent', '')),
                paused=scenario == 'pause', reason=str(params.get(
                    'reason', '')), queue=str(params['queue'])
                if params.get('queue') else None):
            return [error('Interface not found')]
        return [ok('Scenario done')]
    try:
        call = await sim.scenario(scenario, **params)
    except (KeyError, TypeError, ValueError) as exc:
        return [error(f'Scenario failed: {exc}')]
    return [ok('Scenario started', ('Uniqueid', call.uniqueid),
        ('Linkedid', call.linkedid))]


HANDLERS: dict[str, Handler] = {
    'ping': ping, 'events': events, 'originate': originate,
    'redirect': redirect, 'bridge': bridge, 'setvar': setvar,
    'blindtransfer': _transfer('blind', 'Transfer succeeded'),
    'atxfer': _transfer('attended', 'Atxfer successfully queued'),
    'hangup': hangup, 'queuepause': queue_pause, 'queueadd': queue_add,
    'queueremove': queue_remove, 'coreshowchannels': core_show_channels,
    'queuestatus': queue_status, 'mixmonitor': mix_monitor,
    'simscenario': sim_scenario}
