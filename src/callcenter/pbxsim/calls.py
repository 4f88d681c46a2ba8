"""One simulated call: its channels, clock and the events they raise.

The primitives emit what Asterisk 18-22 emits for the same step, in the
same order as the real captures: a dialled ``Local/x@ctx/n`` gives two
halves ``;1``/``;2`` and a ``LocalBridge``; a ``PJSIP/x`` one channel.
"""
from __future__ import annotations

import asyncio
import time
from dataclasses import dataclass, field
from pathlib import Path

from .model import (
    CAUSE_TEXT, INUSE, NOT_INUSE, RINGING, Bridge, Channel, Clock, Headers,
    Pbx)
from .recording import write_tone


@dataclass
class Leg:
    """A dialled party: ``outer`` is what the dialler sees, ``inner`` the
    phone side (the same channel unless it is a Local pair)."""

    outer: Channel
    inner: Channel
    dial_string: str

    @property
    def channels(self) -> list[Channel]:
        return [self.outer] if self.inner is self.outer else [
            self.outer, self.inner]


@dataclass
class Request:
    """A change asked from outside (an AMI action or the scenario API)."""

    kind: str            # hangup, blind, attended, conference, redirect,
                         # bridge, invite
    channel: str = ''
    target: str = ''
    #: ``ExtraChannel`` of a Redirect, ``Channel2`` of a Bridge.
    extra: str = ''
    #: Dialplan context of a Redirect or an Originate.
    context: str = ''
    action_id: str = ''
    #: ``CallerID`` of an Originate (``"Name" <number>``).
    caller_id: str = ''


@dataclass
class Call:
    pbx: Pbx
    clock: Clock
    recordings: Path
    name: str
    linkedid: str = ''
    channels: list[Channel] = field(default_factory=list)
    recording: Path | None = None
    requests: list[Request] = field(default_factory=list)
    wakeup: asyncio.Event = field(default_factory=asyncio.Event)
    started: asyncio.Event = field(default_factory=asyncio.Event)
    answered: asyncio.Event = field(default_factory=asyncio.Event)
    finished: asyncio.Event = field(default_factory=asyncio.Event)
    #: The customer channel listening to music on hold (``callcenter-hold``).
    held: Channel | None = None
    #: Set when a ConfBridge room of the call emptied: nothing left to end.
    over: bool = False
    #: The key the caller presses in the satisfaction survey (``''`` none,
    #: ``survey.HANG_UP``); None: no survey, the caller hangs up with the
    #: agent.
    survey: str | None = None

    @property
    def uniqueid(self) -> str:
        return self.channels[0].uniqueid if self.channels else ''

    def request(self, request: Request) -> None:
        self.requests.append(request)
        self.wakeup.set()

    def next_request(self) -> Request | None:
        "The oldest request; ``wakeup`` stays set while more wait."
        self.wakeup.clear()
        request = self.requests.pop(0) if self.requests else None
        if self.requests:
            self.wakeup.set()
        return request

    def emit(self, name: str, privilege: str, headers: Headers) -> None:
        self.pbx.emit(name, privilege, headers, self.clock.now)

    # channels -----------------------------------------------------------
    def channel(self, base: str, *, context: str, exten: str,
            cid: tuple[str, str] | None = None, state: int = 0,
            agent: str | None = None) -> Channel:
        """Create ``base-0000000n`` and raise ``Newchannel``."""
        return self._new(f'{base}-{self.pbx.next_sequence()}', context,
            exten, cid, state, agent)

    def _new(self, name: str, context: str, exten: str,
            cid: tuple[str, str] | None, state: int,
            agent: str | None) -> Channel:
        channel = self.pbx.new_channel(name, linkedid=self.linkedid or None,
            context=context, exten=exten, at=self.clock.now, state=state)
        channel.agent = agent
        if cid is not None:
            channel.cid_num, channel.cid_name = cid
        self.linkedid = self.linkedid or channel.uniqueid
        self.channels.append(channel)
        self.started.set()
        self.emit('Newchannel', 'call', channel.block())
        return channel

    def caller_id(self, channel: Channel, number: str, name: str) -> None:
        channel.cid_num, channel.cid_name = number, name
        self.emit('NewCallerid', 'call', channel.block() + [
            ('CID-CallingPres', '0 (Presentation Allowed, Not Screened)')])

    def open_leg(self, dial: str, *, context: str, exten: str,
            cid: tuple[str, str], agent: str | None = None) -> Leg:
        """Create the channel(s) a ``Dial(dial)`` makes."""
        if dial.startswith('Local/'):
            return self._local_leg(dial, context, exten, cid, agent)
        tech, _, resource = dial.partition('/')
        endpoint = resource.rpartition('@')[2] or resource
        channel = self.channel(f'{tech}/{endpoint}', context=context,
            exten=exten, agent=agent)
        self.caller_id(channel, *cid)
        return Leg(channel, channel, dial)

    def _local_leg(self, dial: str, context: str, exten: str,
            cid: tuple[str, str], agent: str | None) -> Leg:
        base = dial.removesuffix('/n')
        local_exten, _, local_context = base[6:].partition('@')
        name = f'{base}-{self.pbx.next_sequence()}'
        one = self._new(f'{name};1', local_context, local_exten, None, 0,
            agent)
        two = self._new(f'{name};2', local_context, local_exten, None, 4,
            agent)
        self.caller_id(one, *cid)
        self.caller_id(two, *cid)
        self.emit('LocalBridge', 'call', one.block('LocalOne')
            + two.block('LocalTwo') + [
                ('Context', local_context), ('Exten', local_exten),
                ('LocalOptimization', 'No' if dial.endswith('/n') else 'Yes')])
        return Leg(one, two, dial)

    def set_state(self, channel: Channel, state: int) -> None:
        channel.state = state
        if state == 6 and channel.answered is None:
            channel.answered = self.clock.now
        self.emit('Newstate', 'call', channel.block())

    def varset(self, channel: Channel, variable: str, value: str) -> None:
        channel.variables[variable] = value
        self.emit('VarSet', 'dialplan', channel.block() + [
            ('Variable', variable), ('Value', value)])

    def newexten(self, channel: Channel, application: str,
            data: str = '') -> None:
        channel.application, channel.app_data = application, data
        self.emit('Newexten', 'dialplan', channel.block() + [
            ('Extension', channel.exten), ('Application', application),
            ('AppData', data)])

    # dialling -----------------------------------------------------------
    def dial_begin(self, caller: Channel | None, leg: Leg, *,
            tech: bool = False) -> None:
        """``DialString`` keeps the technology for app_queue only."""
        dial = leg.dial_string if tech else leg.dial_string.partition('/')[2]
        self.emit('DialBegin', 'call', self._pair(caller, leg)
            + [('DialString', dial)])

    def ringing(self, caller: Channel | None, leg: Leg) -> None:
        self.set_state(leg.outer, 5)
        self._agent_status(leg.outer.agent, RINGING)
        self.emit('DialState', 'call', self._pair(caller, leg)
            + [('DialStatus', 'RINGING')])

    def answer_leg(self, caller: Channel | None, leg: Leg) -> None:
        if leg.inner is not leg.outer:
            self.set_state(leg.inner, 6)
        self.set_state(leg.outer, 6)
        self.dial_end(caller, leg, 'ANSWER')
        self._agent_status(leg.outer.agent, INUSE)

    def in_use(self, channel: Channel) -> None:
        """The device of an agent's channel answered outside a Dial (an
        Originate): ``QueueMemberStatus`` in use, paused or not, as
        Asterisk reports any device state change of a member."""
        self._agent_status(channel.agent, INUSE)

    def dial_end(self, caller: Channel | None, leg: Leg, status: str) -> None:
        self.emit('DialEnd', 'call', self._pair(caller, leg)
            + [('DialStatus', status)])

    def _pair(self, caller: Channel | None, leg: Leg) -> Headers:
        return (caller.block() if caller else []) + leg.outer.block('Dest')

    def record(self, channel: Channel, prefix: str) -> Path:
        """MixMonitor: a real WAV file, ``MIXMONITOR_FILENAME`` and
        ``MixMonitorStart`` (which names no file in Asterisk 18-22)."""
        path = write_tone(self.recordings
            / f'{prefix}-{channel.uniqueid}.wav')
        self.recording = path
        self.varset(channel, 'MIXMONITOR_FILENAME', str(path))
        self.emit('MixMonitorStart', 'call', channel.block())
        return path

    # bridges ------------------------------------------------------------
    def bridge(self, *channels: Channel) -> Bridge:
        bridge = Bridge()
        self.emit('BridgeCreate', 'call', bridge.block())
        for channel in channels:
            self.enter(bridge, channel)
        return bridge

    def enter(self, bridge: Bridge, channel: Channel) -> None:
        bridge.channels.append(channel)
        channel.bridge = bridge
        self.emit('BridgeEnter', 'call', bridge.block() + channel.block())

    def leave(self, channel: Channel) -> None:
        bridge = channel.bridge
        if bridge is None:
            return
        bridge.channels.remove(channel)
        channel.bridge = None
        self.emit('BridgeLeave', 'call', bridge.block() + channel.block())

    def destroy(self, bridge: Bridge) -> None:
        if bridge.destroyed:
            return
        bridge.destroyed = True
        self.emit('BridgeDestroy', 'call', bridge.block())

    # the end ------------------------------------------------------------
    def hangup(self, channel: Channel, cause: int = 16, *,
            cdr: bool = True, peer: Channel | None = None) -> None:
        """``Hangup`` (and the channel's ``Cdr``), device state released."""
        if self.pbx.channels.pop(channel.name, None) is None:
            return
        self.leave(channel)
        if channel.hangup_handler:
            self.emit('HangupHandlerRun', 'dialplan', channel.block() + [
                ('Handler', f'{channel.hangup_handler},s,1')])
        self.emit('Hangup', 'call', channel.block() + [
            ('Cause', str(cause)), ('Cause-txt', CAUSE_TEXT[cause])])
        if cdr:
            self.cdr(channel, peer)
        if channel.agent and not any(c.agent == channel.agent
                for c in self.pbx.channels.values()):
            self._agent_status(channel.agent, NOT_INUSE,
                took_call=channel.answered is not None)
        self._run_hangup_handler(channel)
        other = channel.other_half
        if other is not None and other in self.pbx.channels:
            # A Local channel goes down with both of its halves.
            self.hangup(self.pbx.channels[other], cause, cdr=cdr, peer=peer)

    def _run_hangup_handler(self, channel: Channel) -> None:
        """The sample dialplan's ``[callcenter-hold-end]``: the peer named
        by ``CALLCENTER_PEER`` is sent to ``callcenter-hangup`` if set."""
        peer = channel.variables.get('CALLCENTER_PEER', '')
        if channel.hangup_handler and peer and peer in self.pbx.channels:
            self.hangup(self.pbx.channels[peer])

    def cdr(self, channel: Channel, peer: Channel | None) -> None:
        end = self.clock.now
        answered = channel.answered
        self.emit('Cdr', 'cdr', [
            ('AccountCode', ''), ('Source', channel.cid_num),
            ('Destination', channel.exten),
            ('DestinationContext', channel.context),
            ('CallerID', f'"{channel.cid_name}" <{channel.cid_num}>'),
            ('Channel', channel.name),
            ('DestinationChannel', peer.name if peer else ''),
            ('LastApplication', channel.application),
            ('LastData', channel.app_data),
            ('StartTime', _stamp(channel.created)),
            ('AnswerTime', _stamp(answered) if answered else ''),
            ('EndTime', _stamp(end)),
            ('Duration', str(round(end - channel.created))),
            ('BillableSeconds', str(round(end - answered) if answered else 0)),
            ('Disposition', 'ANSWERED' if answered else 'NO ANSWER'),
            ('AMAFlags', 'DOCUMENTATION'), ('UniqueID', channel.uniqueid),
            ('UserField', str(self.recording or ''))])

    def _agent_status(self, extension: str | None, status: int, *,
            took_call: bool = False) -> None:
        if extension is None:
            return
        interface = self.pbx.agents.get(extension, '')
        for member in self.pbx.members_of(interface):
            member.status = status
            member.in_call = int(status == INUSE)
            if took_call:
                member.calls_taken += 1
                member.last_call = int(self.clock.now)
            self.emit('QueueMemberStatus', 'agent', member.block())


def _stamp(moment: float) -> str:
    return time.strftime('%Y-%m-%d %H:%M:%S', time.gmtime(moment))
