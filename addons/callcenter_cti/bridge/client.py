"""asyncio AMI client: login, ActionID futures, event dispatch, reconnect.

Why not panoramisk: see ``doc/bridge.rst``. The layering follows it all the
same: ``protocol.py`` frames, this module correlates and supervises.

Every action gets an ActionID, a future and an ``asyncio.timeout``. A lost
link fails the pending futures with :class:`ConnectionLost`; only read-only
actions (:data:`IDEMPOTENT`) are sent again once the link is back, so an
``Originate`` is never replayed. After each login the ``on_connected`` hook
runs so the caller can resync (``CoreShowChannels``, ``QueueStatus``).
"""
from __future__ import annotations

import asyncio
import fnmatch
import inspect
import itertools
import logging
import random
import ssl
import time
import uuid
from typing import Any, Awaitable, Callable, Mapping, Optional

from .actions import IDEMPOTENT, ActionError, Pending, Response
from .link import (AmiError, AuthenticationFailed, ClientConfig,
    ConnectionLost, LinkState, LinkStatus, NotConnected, Unreachable)
from .protocol import FrameParser, HeaderValue, Message, format_action

__all__ = [
    'AmiClient', 'AmiError', 'ActionError', 'AuthenticationFailed',
    'ClientConfig', 'ConnectionLost', 'ConnectedHook', 'EventCallback',
    'IDEMPOTENT', 'LinkState', 'LinkStatus', 'NotConnected', 'Response',
    'StateCallback']

logger = logging.getLogger(__name__)

EventCallback = Callable[[Message], Optional[Awaitable[None]]]
StateCallback = Callable[[LinkStatus], None]
ConnectedHook = Callable[['AmiClient'], Awaitable[None]]


class AmiClient:
    """One supervised AMI link; ``start()`` it, ``close()`` it."""

    def __init__(self, config: ClientConfig, *,
            on_state: StateCallback | None = None,
            on_connected: ConnectedHook | None = None,
            rng: random.Random | None = None) -> None:
        self.config = config
        self.on_state = on_state
        self.on_connected = on_connected
        self.status = LinkStatus(LinkState.DISCONNECTED, 'not started')
        self.last_event_at: float | None = None
        self.version: str | None = None
        self._rng = rng or random.Random()
        self._callbacks: list[tuple[str, EventCallback]] = []
        self._pending: dict[str, Pending] = {}
        self._ids = itertools.count(1)
        self._prefix = uuid.uuid4().hex[:8]
        self._writer: asyncio.StreamWriter | None = None
        self._connected = asyncio.Event()
        self._closing = False
        self._runner: asyncio.Task[None] | None = None
        self._tasks: set[asyncio.Task[Any]] = set()

    def on_event(self, pattern: str,
            callback: EventCallback | None = None) -> Any:
        """Call ``callback(message)`` for events whose name matches the glob
        ``pattern`` (case-insensitive); usable as a decorator too. A
        coroutine callback runs as a task."""
        def register(function: EventCallback) -> EventCallback:
            self._callbacks.append((pattern.lower(), function))
            return function
        return register if callback is None else register(callback)

    @property
    def connected(self) -> bool:
        return self._connected.is_set()

    async def start(self) -> None:
        self._closing = False
        self._runner = asyncio.create_task(self.run(), name='ami-client')

    async def wait_connected(self, timeout: float | None = None) -> None:
        async with asyncio.timeout(timeout):
            await self._connected.wait()

    async def __aenter__(self) -> AmiClient:
        await self.start()
        return self

    async def __aexit__(self, *exc_info: object) -> None:
        await self.close()

    async def close(self) -> None:
        """Log off when connected, stop reconnecting, cancel callbacks."""
        self._closing = True
        if self.connected:
            try:
                await self.action('Logoff', timeout=1.0)
            except (AmiError, TimeoutError):
                pass
        if self._writer is not None:
            self._writer.close()
        tasks = [t for t in (self._runner, *self._tasks) if t is not None]
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        self._report(LinkState.CLOSED, 'closed by the bridge')

    async def action(self, name: str, *, timeout: float | None = None,
            check: bool = True, **headers: HeaderValue) -> Response:
        """Send action ``name`` with AMI headers spelt as Asterisk does
        (``Channel=``, ``Timeout=``); ``timeout`` and ``check`` are ours.
        Raises :class:`ActionError` on ``Response: Error`` when ``check``."""
        replayable = name.lower() in IDEMPOTENT
        limit = self.config.action_timeout if timeout is None else timeout
        async with asyncio.timeout(limit):
            while True:
                if not self.connected:
                    if not replayable:
                        raise NotConnected('%s not sent: the AMI link is %s'
                            % (name, self.status.state.value))
                    await self._connected.wait()
                try:
                    response = await self._send(name, headers)
                except ConnectionLost:
                    if replayable and not self._closing:
                        continue
                    raise
                if check and not response.success:
                    raise ActionError(response)
                return response

    async def run(self) -> None:
        """Connect, log in and serve until ``close()``, reconnecting with
        capped exponential backoff plus jitter."""
        cfg, attempt = self.config, 0
        where = f'{cfg.host}:{cfg.port}'
        while not self._closing:
            self._report(LinkState.CONNECTING, f'connecting to {where}',
                attempt)
            try:
                await self._session()
                state, text = LinkState.DISCONNECTED, f'link to {where} closed'
            except AuthenticationFailed as exc:
                state, text = LinkState.AUTH_FAILED, (
                    f'AMI login as {cfg.username!r} on {where} refused '
                    f'({exc}); check the username and secret')
            except Unreachable as exc:
                state, text = LinkState.UNREACHABLE, (
                    f'cannot reach the AMI port {where}: {exc}')
            except ConnectionLost as exc:
                state, text = LinkState.DISCONNECTED, (
                    f'link to {where} lost: {exc}')
                if self.status.state is LinkState.CONNECTED:
                    attempt = 0
            if self._closing:
                break
            delay = self._backoff(attempt)
            attempt += 1
            self._report(state, f'{text}; retrying in {delay:.1f}s',
                attempt, delay)
            await asyncio.sleep(delay)

    def _backoff(self, attempt: int) -> float:
        cfg = self.config
        ceiling = min(cfg.backoff_max,
            cfg.backoff_initial * 2.0 ** min(attempt, 32))
        return ceiling * (1 - cfg.backoff_jitter * self._rng.random())

    async def _session(self) -> None:
        reader, writer = await self._open()
        self._writer = writer
        parser = FrameParser()
        try:
            async with asyncio.TaskGroup() as group:
                group.create_task(self._read(reader, parser))
                await self._login()
                self.version = parser.version
                self._connected.set()
                self._report(LinkState.CONNECTED, 'logged in to %s:%s as %r'
                    % (self.config.host, self.config.port,
                        self.config.username))
                group.create_task(self._resync())
                group.create_task(self._keepalive())
        except BaseExceptionGroup as group_error:
            raise _root_cause(group_error) from None
        finally:
            self._connected.clear()
            self._writer = None
            writer.close()
            for pending in self._pending.values():
                if not pending.future.done():
                    pending.future.set_exception(
                        ConnectionLost('link lost before the answer'))
            self._pending.clear()

    async def _open(self) -> tuple[asyncio.StreamReader, asyncio.StreamWriter]:
        cfg = self.config
        context = cfg.tls if isinstance(cfg.tls, ssl.SSLContext) else (
            ssl.create_default_context() if cfg.tls else None)
        try:
            async with asyncio.timeout(cfg.connect_timeout):
                return await asyncio.open_connection(
                    cfg.host, cfg.port, ssl=context)
        except (OSError, TimeoutError) as exc:
            raise Unreachable(str(exc) or type(exc).__name__) from exc

    async def _login(self) -> None:
        cfg = self.config
        try:
            async with asyncio.timeout(cfg.action_timeout):
                response = await self._send('Login', {
                    'Username': cfg.username, 'Secret': cfg.secret,
                    'Events': cfg.events})
        except TimeoutError:
            raise ConnectionLost('no answer to Login within %ss'
                % cfg.action_timeout) from None
        if not response.success:
            raise AuthenticationFailed(
                response.get('Message') or 'Authentication failed')

    async def _read(self, reader: asyncio.StreamReader,
            parser: FrameParser) -> None:
        while True:
            try:
                data = await reader.read(65536)
            except OSError as exc:
                raise ConnectionLost(str(exc)) from exc
            if not data:
                raise ConnectionLost('closed by the server')
            for message in parser.feed(data):
                self._handle(message)

    async def _send(self, name: str,
            headers: Mapping[str, HeaderValue]) -> Response:
        if self._writer is None:
            raise ConnectionLost('not connected')
        action_id = f'{self._prefix}-{next(self._ids)}'
        pending = self._pending[action_id] = Pending()
        try:
            self._writer.write(format_action(name, action_id, **headers))
            await self._writer.drain()
            return await pending.future
        except OSError as exc:
            raise ConnectionLost(str(exc)) from exc
        finally:
            self._pending.pop(action_id, None)

    def _handle(self, message: Message) -> None:
        action_id = message.action_id
        pending = self._pending.get(action_id) if action_id else None
        if pending is not None and pending.take(message):
            return
        if message.kind == 'event':
            self._dispatch(message)

    def _dispatch(self, event: Message) -> None:
        self.last_event_at = time.time()
        name = event.name.lower()
        for pattern, callback in self._callbacks:
            if not fnmatch.fnmatchcase(name, pattern):
                continue
            try:
                result = callback(event)
            except Exception:
                logger.exception("callback %r failed on %s (Uniqueid %s)",
                    callback, event.name, event.get('Uniqueid'))
                continue
            if inspect.isawaitable(result):
                self._spawn(result, f'{event.name} {event.get("Uniqueid")}')

    def _spawn(self, awaitable: Awaitable[Any], label: str) -> None:
        async def guarded() -> None:
            try:
                await awaitable
            except Exception:
                logger.exception("AMI task failed: %s", label)
        task = asyncio.create_task(guarded(), name=label)
        self._tasks.add(task)
        task.add_done_callback(self._tasks.discard)

    async def _resync(self) -> None:
        if self.on_connected is None:
            return
        try:
            await self.on_connected(self)
        except (AmiError, TimeoutError) as exc:
            logger.warning("resync after login failed: %s", exc)
        except Exception:
            logger.exception("on_connected hook failed")

    async def _keepalive(self) -> None:
        timeout = self.config.action_timeout
        while True:
            await asyncio.sleep(self.config.ping_interval)
            try:
                async with asyncio.timeout(timeout):
                    await self._send('Ping', {})
            except TimeoutError:
                raise ConnectionLost('no answer to Ping within %ss'
                    % timeout) from None

    def _report(self, state: LinkState, message: str, attempt: int = 0,
            retry_in: float | None = None) -> None:
        changed = state is not self.status.state
        self.status = LinkStatus(state, message, attempt, retry_in)
        level = logging.INFO if state in (LinkState.CONNECTING,
            LinkState.CONNECTED, LinkState.CLOSED) else logging.WARNING
        logger.log(level if changed else logging.DEBUG, "AMI %s: %s",
            state.value, message)
        if self.on_state is not None:
            try:
                self.on_state(self.status)
            except Exception:
                logger.exception("link state callback failed")


def _root_cause(group: BaseExceptionGroup[BaseException]) -> BaseException:
    """The most telling error of a failed session's task group."""
    for kind in (AuthenticationFailed, Unreachable, ConnectionLost):
        match, _rest = group.split(kind)
        if match is not None:
            leaf: BaseException = match
            while isinstance(leaf, BaseExceptionGroup):
                leaf = leaf.exceptions[0]
            return leaf
    return group
