"""State of the simulated PBX and the header blocks Asterisk reuses.

Channel, bridge and queue-member header blocks follow the snapshots of
Asterisk 18-22 (``ast_manager_build_channel_state_string``, the
``BridgeUniqueid`` block, app_queue's member block), as seen in the real
captures in ``shared/ami-transcripts/``.
"""
from __future__ import annotations

import asyncio
import itertools
import time
import uuid
from dataclasses import dataclass, field
from typing import Callable

STATE_DESC = {0: 'Down', 4: 'Ring', 5: 'Ringing', 6: 'Up', 7: 'Busy'}
CAUSE_TEXT = {
    0: 'Unknown', 16: 'Normal Clearing', 17: 'User busy',
    19: 'User alerting, no answer', 21: 'Call Rejected',
    26: 'Answered elsewhere', 1: 'Unallocated (unassigned) number'}
#: Device states of queue members (QueueMemberStatus ``Status``).
NOT_INUSE, INUSE, RINGING = 1, 2, 6

Headers = list[tuple[str, str]]
Emit = Callable[[str, str, Headers, float], None]


@dataclass
class Channel:
    name: str
    uniqueid: str
    linkedid: str
    context: str
    exten: str
    cid_num: str = '<unknown>'
    cid_name: str = '<unknown>'
    conn_num: str = '<unknown>'
    conn_name: str = '<unknown>'
    state: int = 0
    priority: int = 1
    created: float = 0.0
    answered: float | None = None
    application: str = ''
    app_data: str = ''
    bridge: Bridge | None = None
    #: Extension of the agent phone behind this channel, if any.
    agent: str | None = None
    #: Channel variables set by ``Setvar``/``Set()`` (``CALLCENTER_PEER``).
    variables: dict[str, str] = field(default_factory=dict)
    #: Context of the hangup handler the dialplan pushed, if any.
    hangup_handler: str = ''

    @property
    def other_half(self) -> str | None:
        "``…;2`` for ``Local/…;1`` and back; None if not a Local channel."
        if not self.name.startswith('Local/') or self.name[-2:] not in (
                ';1', ';2'):
            return None
        return self.name[:-1] + ('2' if self.name.endswith('1') else '1')

    def block(self, prefix: str = '') -> Headers:
        """The channel snapshot block, ``Dest``/``Transferee``… prefixed."""
        p = prefix
        return [
            (f'{p}Channel', self.name), (f'{p}ChannelState', str(self.state)),
            (f'{p}ChannelStateDesc', STATE_DESC[self.state]),
            (f'{p}CallerIDNum', self.cid_num),
            (f'{p}CallerIDName', self.cid_name),
            (f'{p}ConnectedLineNum', self.conn_num),
            (f'{p}ConnectedLineName', self.conn_name),
            (f'{p}Language', 'en'), (f'{p}AccountCode', ''),
            (f'{p}Context', self.context), (f'{p}Exten', self.exten),
            (f'{p}Priority', str(self.priority)),
            (f'{p}Uniqueid', self.uniqueid), (f'{p}Linkedid', self.linkedid)]


@dataclass
class Bridge:
    uniqueid: str = field(default_factory=lambda: str(uuid.uuid4()))
    channels: list[Channel] = field(default_factory=list)
    destroyed: bool = False
    #: ``ConfBridge`` and the room name for a conference bridge.
    creator: str = '<unknown>'
    name: str = '<unknown>'

    def block(self, prefix: str = 'Bridge') -> Headers:
        "``BridgeUniqueid``…, or ``OrigBridgeUniqueid``… with that prefix."
        technology = 'softmix' if len(self.channels) > 2 or (
            self.creator == 'ConfBridge') else 'simple_bridge'
        kind = 'base' if self.creator == 'ConfBridge' else 'basic'
        p = prefix
        return [
            (f'{p}Uniqueid', self.uniqueid), (f'{p}Type', kind),
            (f'{p}Technology', technology),
            (f'{p}Creator', self.creator),
            (f'{p}Name', self.name),
            (f'{p}NumChannels', str(len(self.channels))),
            (f'{p}VideoSourceMode', 'none')]


@dataclass
class Member:
    queue: str
    interface: str
    name: str
    extension: str
    membership: str = 'static'
    penalty: int = 0
    calls_taken: int = 0
    last_call: int = 0
    last_pause: int = 0
    login_time: int = field(default_factory=lambda: int(time.time()))
    in_call: int = 0
    status: int = NOT_INUSE
    paused: bool = False
    reason: str = ''

    def block(self) -> Headers:
        return [
            ('Queue', self.queue), ('MemberName', self.name),
            ('Interface', self.interface), ('StateInterface', self.interface),
            ('Membership', self.membership), ('Penalty', str(self.penalty)),
            ('CallsTaken', str(self.calls_taken)),
            ('LastCall', str(self.last_call)),
            ('LastPause', str(self.last_pause)),
            ('LoginTime', str(self.login_time)), ('InCall', str(self.in_call)),
            ('Status', str(self.status)), ('Paused', str(int(self.paused))),
            ('PausedReason', self.reason), ('Ringinuse', '0'),
            ('Wrapuptime', '0')]


@dataclass
class Queue:
    name: str
    members: dict[str, Member] = field(default_factory=dict)
    entries: list[Channel] = field(default_factory=list)
    completed: int = 0
    abandoned: int = 0
    next_member: int = 0


class Clock:
    """A call's own time line: ``wait(s)`` advances it by ``s`` PBX seconds
    and sleeps ``s * tempo`` real seconds (tempo 0: just yield). Event
    timestamps and Cdr durations use it, so they read like the real thing
    whatever the tempo."""

    def __init__(self, tempo: float, start: float | None = None) -> None:
        self.tempo = tempo
        self.now = time.time() if start is None else start

    async def wait(self, seconds: float | None,
            interrupt: asyncio.Event | None = None) -> bool:
        """Wait ``seconds`` (None: until interrupted); return True if
        ``interrupt`` was set first. The clock advances by the PBX time
        actually waited."""
        if interrupt is not None and interrupt.is_set():
            return True
        if interrupt is None:
            await asyncio.sleep((seconds or 0) * self.tempo)
            self.now += seconds or 0
            return False
        loop = asyncio.get_running_loop()
        started = loop.time()
        limit = None if seconds is None else seconds * self.tempo
        try:
            async with asyncio.timeout(limit):
                await interrupt.wait()
        except TimeoutError:
            self.now += seconds or 0
            return False
        elapsed = (loop.time() - started) / self.tempo if self.tempo else 0
        self.now += elapsed if seconds is None else min(seconds, elapsed)
        return True


class Pbx:
    """Channels, bridges, queues and agents of the simulated Asterisk."""

    def __init__(self, emit: Emit, *, agents: dict[str, str],
            queues: dict[str, list[str]]) -> None:
        self.emit = emit
        self.channels: dict[str, Channel] = {}
        #: extension -> interface (``PJSIP/1001`` or ``Local/1001@agents/n``)
        self.agents = dict(agents)
        self.queues = {name: Queue(name) for name in queues}
        for name, extensions in queues.items():
            for extension in extensions:
                self.add_member(name, agents[extension], extension)
        self._sequence = itertools.count(0)
        self._uniqueid = itertools.count(0)

    def add_member(self, queue: str, interface: str, extension: str,
            name: str = '', membership: str = 'static') -> Member:
        member = Member(queue, interface, name or f'Agent {extension}',
            extension, membership)
        self.queues.setdefault(queue, Queue(queue)).members[interface] = (
            member)
        return member

    def members_of(self, interface: str) -> list[Member]:
        return [q.members[interface] for q in self.queues.values()
            if interface in q.members]

    def extension_of(self, interface: str) -> str | None:
        return next((ext for ext, i in self.agents.items()
                if i == interface), None)

    def next_sequence(self) -> str:
        return f'{next(self._sequence):08x}'

    def new_channel(self, name: str, *, linkedid: str | None, context: str,
            exten: str, at: float, state: int = 0) -> Channel:
        uniqueid = f'{int(at)}.{next(self._uniqueid)}'
        channel = Channel(name, uniqueid, linkedid or uniqueid, context,
            exten, state=state, created=at)
        self.channels[name] = channel
        return channel

    def find(self, name: str) -> Channel | None:
        return self.channels.get(name)
