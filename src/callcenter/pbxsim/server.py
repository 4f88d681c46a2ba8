"""The simulator's AMI server and its Python scenario API."""
from __future__ import annotations

import asyncio
import logging
import time
from typing import Any, Callable, Coroutine

from . import outbound, scenarios, supervision
from .actions import HANDLERS, error
from .calls import Call, Request
from .config import SimConfig
from .model import Clock, Pbx
from .wire import ActionReader, Headers, encode, lookup

logger = logging.getLogger(__name__)
ScenarioFunction = Callable[..., Coroutine[Any, Any, None]]
CLASSES = frozenset({'system', 'call', 'log', 'verbose', 'command', 'agent',
    'user', 'config', 'dtmf', 'reporting', 'cdr', 'dialplan', 'originate',
    'agi', 'cc', 'aoc', 'test', 'security', 'message'})


class Session:
    """One AMI client connection."""

    def __init__(self, writer: asyncio.StreamWriter) -> None:
        self.writer = writer
        self.authenticated = False
        self.username = ''
        #: Event classes let through; ``None`` means all (``Events: on``).
        self.mask: set[str] | None = None

    def set_mask(self, value: str) -> None:
        value = value.strip().lower()
        if value in ('on', 'yes', 'true', '1', 'all'):
            self.mask = None
        elif value in ('off', 'no', 'false', '0', ''):
            self.mask = set()
        else:
            self.mask = {c.strip() for c in value.split(',')} & CLASSES

    def allows(self, privilege: str) -> bool:
        return self.authenticated and (
            self.mask is None or privilege in self.mask)

    def send(self, frame: Headers | bytes) -> None:
        if not self.writer.is_closing():
            self.writer.write(frame if isinstance(frame, bytes)
                else encode(frame))


class Simulator:
    """An Asterisk 18-22 look-alike on ``config.host``/``config.port``."""

    def __init__(self, config: SimConfig | None = None) -> None:
        self.config = config or SimConfig()
        cfg = self.config
        self.pbx = Pbx(self.emit, agents={e: cfg.interface(e)
                for e in cfg.agents},
            queues={q: list(cfg.agents) for q in cfg.queues})
        self.sessions: set[Session] = set()
        self.calls: list[Call] = []
        #: Every action received, in order, as (name, headers).
        self.received: list[Headers] = []
        self.events_emitted = 0
        self._latest = 0.0
        #: Campaign calls: outcome draws and what was dialled.
        self.outbound = outbound.Outbound(self.config.outbound)
        self._server: asyncio.Server | None = None
        self._tasks: set[asyncio.Task[None]] = set()
        self._waiters: list[tuple[str, Callable[[dict[str, str]], bool],
            asyncio.Future[dict[str, str]]]] = []

    @property
    def port(self) -> int:
        assert self._server is not None, 'the simulator is not started'
        return int(self._server.sockets[0].getsockname()[1])

    async def start(self) -> None:
        self._server = await asyncio.start_server(self._serve,
            self.config.host, self.config.port)
        logger.info("PBX simulator listening on %s:%s",
            self.config.host, self.port)

    async def close(self) -> None:
        for task in list(self._tasks):
            task.cancel()
        await asyncio.gather(*self._tasks, return_exceptions=True)
        if self._server is not None:
            self._server.close()
            self.drop_connections()
            await self._server.wait_closed()

    async def __aenter__(self) -> Simulator:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    def drop_connections(self) -> int:
        """Cut every client link at once, calls going on (reconnect tests)."""
        count = len(self.sessions)
        for session in list(self.sessions):
            session.writer.transport.abort()
        self.sessions.clear()
        return count

    def pbx_time(self, at: float | None = None) -> float:
        """The PBX's clock, as Asterisk stamps events: it never goes back.

        It is real time, or later once calls at a fast tempo (whose own
        clocks advance by PBX seconds) ran ahead of it: an event of a new
        call, or one without a call, is never stamped before an event
        already sent, so "stale event" checks downstream stay right."""
        self._latest = max(self._latest, time.time(), at or 0.0)
        return self._latest

    # events -------------------------------------------------------------
    def emit(self, name: str, privilege: str, headers: Headers,
            at: float | None = None) -> None:
        frame = encode([('Event', name), ('Privilege', f'{privilege},all'),
            ('Timestamp', f'{self.pbx_time(at):.6f}')] + headers)
        self.events_emitted += 1
        for session in self.sessions:
            if session.allows(privilege):
                session.send(frame)

    # actions ------------------------------------------------------------
    async def wait_action(self, name: str,
            predicate: Callable[[dict[str, str]], bool] = lambda h: True,
            ) -> dict[str, str]:
        """The first received action ``name`` (past or future) matching
        ``predicate``, as a dict of first header values."""
        for headers in self.received:
            found = _as_dict(headers)
            if found['action'].lower() == name.lower() and predicate(found):
                return found
        future: asyncio.Future[dict[str, str]] = (
            asyncio.get_running_loop().create_future())
        self._waiters.append((name.lower(), predicate, future))
        return await future

    def _record(self, headers: Headers) -> None:
        self.received.append(headers)
        found = _as_dict(headers)
        for waiter in list(self._waiters):
            name, predicate, future = waiter
            if found.get('action', '').lower() == name and predicate(found):
                self._waiters.remove(waiter)
                if not future.done():
                    future.set_result(found)

    async def _serve(self, reader: asyncio.StreamReader,
            writer: asyncio.StreamWriter) -> None:
        session = Session(writer)
        self.sessions.add(session)
        writer.write(f'Asterisk Call Manager/{self.config.ami_version}'
            '\r\n'.encode())
        parser = ActionReader()
        try:
            while data := await reader.read(65536):
                for headers in parser.feed(data):
                    if not await self._handle(session, headers):
                        return
        except (ConnectionError, asyncio.CancelledError):
            pass
        finally:
            self.sessions.discard(session)
            writer.close()

    async def _handle(self, session: Session, headers: Headers) -> bool:
        """Answer one action; False when the session must end."""
        self._record(headers)
        name = lookup(headers, 'Action').lower()
        action_id = lookup(headers, 'ActionID')
        if name == 'login':
            return self._login(session, headers, action_id)
        if name == 'logoff':
            session.send(_with_id([('Response', 'Goodbye'),
                ('Message', 'Thanks for all the fish.')], action_id))
            return False
        handler = HANDLERS.get(name)
        if not session.authenticated:
            frames = [error('Permission denied')]
        elif handler is None:
            frames = [error(f'Invalid/unknown command: {name}. Use Action: '
                'ListCommands to show available commands.')]
        else:
            try:
                frames = await handler(self, session, headers)
            except (KeyError, TypeError, ValueError) as exc:
                logger.warning("simulator: %s failed: %s", name, exc)
                frames = [error(f'{name} failed: {exc}')]
        session.send(_with_id(frames[0], action_id))
        for frame in frames[1:]:
            session.send(frame)
        return True

    def _login(self, session: Session, headers: Headers,
            action_id: str) -> bool:
        cfg = self.config
        if (lookup(headers, 'Username'), lookup(headers, 'Secret')) != (
                cfg.username, cfg.secret):
            logger.warning("simulator: login refused for %r",
                lookup(headers, 'Username'))
            session.send(_with_id(error('Authentication failed'), action_id))
            return False
        session.authenticated = True
        session.username = cfg.username
        session.set_mask(lookup(headers, 'Events', 'on'))
        session.send(_with_id([('Response', 'Success'),
            ('Message', 'Authentication accepted')], action_id))
        if session.allows('system'):
            session.send([('Event', 'FullyBooted'),
                ('Privilege', 'system,all'), ('Uptime', '9'),
                ('LastReload', '9'), ('Status', 'Fully Booted')])
        return True

    # scenarios ----------------------------------------------------------
    def call_of(self, channel: str) -> Call | None:
        return next((call for call in self.calls
                if any(c.name == channel for c in call.channels)
                and channel in self.pbx.channels), None)

    async def scenario(self, name: str, /, **params: Any) -> Call:
        """Start scenario ``name`` and return its call once its first
        channel exists; ``await call.finished.wait()`` for the end."""
        function, request = _SCENARIOS[name.replace('-', '_')]
        call = Call(self.pbx, Clock(self.config.tempo, self.pbx_time()),
            self.config.recordings, name)
        self.calls.append(call)
        task = self._spawn(self._run(call, function, request, params),
            f'scenario {name}')
        waiter = asyncio.create_task(call.started.wait())
        await asyncio.wait({task, waiter}, return_when=asyncio.FIRST_COMPLETED)
        waiter.cancel()
        if task.done() and task.exception() is not None:
            raise task.exception()  # type: ignore[misc]
        return call

    def _spawn(self, coroutine: Coroutine[Any, Any, None],
            name: str) -> asyncio.Task[None]:
        task = asyncio.create_task(coroutine, name=name)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)
        return task

    async def _run(self, call: Call, function: ScenarioFunction,
            request: str | None, params: dict[str, Any]) -> None:
        cfg = self.config
        if function is scenarios.click_to_dial and 'caller' in params:
            params.setdefault('number', params.pop('caller'))
        for key in ('agent', 'extension', 'picker'):
            if params.get(key):
                params[key] = cfg.agent(params[key])
        target = params.pop('target', None)
        if request == 'hold':
            target = str(params.pop('hold', cfg.ring))
        after = float(params.pop('after', cfg.ring))
        if request is not None:
            params.setdefault('talk', cfg.talk + after)
            self._spawn(self._post(call, request, target, after),
                f'{request} request')
        try:
            await function(call, cfg, **params)
        finally:
            call.started.set()
            call.finished.set()
            self.calls.remove(call)

    async def _post(self, call: Call, kind: str, target: str | None,
            after: float) -> None:
        await call.answered.wait()
        await Clock(self.config.tempo).wait(after)
        agent = next((c for c in call.channels if c.agent
                and c.name in self.pbx.channels), None)
        if agent is None:
            return
        call.request(Request(kind, agent.name, target or ''))
        if kind == 'attended':
            # The agent talks with the target, then hangs up to hand the
            # caller over (the request waits until the target answered).
            await Clock(self.config.tempo).wait(2 * self.config.ring)
            if agent.name in self.pbx.channels:
                call.request(Request('hangup', agent.name))

    def hangup(self, call: Call, side: str = 'caller') -> None:
        """Hang up ``call`` from the caller's side or the agent's."""
        channel = call.channels[0] if side in ('caller', 'customer') else (
            next(c for c in call.channels if c.agent))
        call.request(Request('hangup', channel.name))

    def pause(self, interface: str, *, paused: bool, reason: str = '',
            queue: str | None = None) -> bool:
        """QueuePause: emits ``QueueMemberPause`` per queue; False if the
        interface is in none."""
        if interface in self.config.agents or interface.lower().startswith(
                'agent'):
            interface = self.config.interface(self.config.agent(interface))
        members = [m for m in self.pbx.members_of(interface)
            if queue in (None, m.queue)]
        for member in members:
            member.paused, member.reason = paused, reason if paused else ''
            member.last_pause = int(time.time()) if paused else (
                member.last_pause)
            self.emit('QueueMemberPause', 'agent', member.block())
        return bool(members)


def _with_id(frame: Headers, action_id: str) -> Headers:
    if not action_id:
        return frame
    return frame[:1] + [('ActionID', action_id)] + frame[1:]


def _as_dict(headers: Headers) -> dict[str, str]:
    found: dict[str, str] = {}
    for key, value in headers:
        found.setdefault(key.lower(), value)
    return found


_SCENARIOS: dict[str, tuple[ScenarioFunction, str | None]] = {
    'inbound': (scenarios.inbound, None),
    'abandoned': (scenarios.abandoned, None),
    'voicemail': (scenarios.voicemail, None),
    'click_to_dial': (scenarios.click_to_dial, None),
    'outbound': (scenarios.click_to_dial, None),
    'pickup': (scenarios.pickup, None),
    'blind_transfer': (scenarios.inbound, 'blind'),
    'attended_transfer': (scenarios.inbound, 'attended'),
    'hold': (scenarios.inbound, 'hold'),
    'conference': (scenarios.inbound, 'conference'),
    'spy': (supervision.spy, None),
    'campaign': (outbound.campaign, None),
}
