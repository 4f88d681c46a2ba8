"""Helpers of the PBX tests: captures (from callcenter_cti's tests), a
time-limited runner, an event recorder and a simulator with a logged-in
client."""
from __future__ import annotations

import asyncio
import base64
import contextlib
import json
import urllib.request
from pathlib import Path
from typing import Any, AsyncIterator, Awaitable, TypeVar

from callcenter.pbxsim import SimConfig, Simulator
from trytond.modules.callcenter_cti.bridge.client import (
    AmiClient, ClientConfig)
from trytond.modules.callcenter_cti.bridge.protocol import (
    FrameParser, Message)
from trytond.modules.callcenter_cti.tests.captures import (  # noqa: F401
    capture)

T = TypeVar('T')


#: Asterisk 22.10.1 captures of issue 17 (``captures/README.md``).
REAL = Path(__file__).resolve().parent / 'captures'


def real_capture(name: str) -> list[Message]:
    """The frames Asterisk sent in ``captures/name``: the ``# cap:``
    label dropped from the banner and the ``>>>`` lines (actions we sent)
    left out."""
    lines = (REAL / name).read_bytes().splitlines(keepends=True)
    banner = lines[0].split(b': ', 1)[-1]
    kept = [line for line in lines[1:] if not line.startswith(b'>>> ')]
    return FrameParser().feed(banner + b''.join(kept))


def answer(messages: list[Message], action_id: str) -> list[Message]:
    "The frames of the answer to ``action_id`` (list events included)."
    return [m for m in messages if m.get('ActionID') == action_id]


def run(coroutine: Awaitable[T], timeout: float = 20.0) -> T:
    """Run a test coroutine with a hard time limit."""
    async def limited() -> T:
        async with asyncio.timeout(timeout):
            return await coroutine
    return asyncio.run(limited())


class Recorder:
    """Collects events and lets a test wait for one, without sleeping."""

    def __init__(self) -> None:
        self.events: list[Message] = []
        self._waiters: list[tuple[str, dict[str, str],
            asyncio.Future[Message]]] = []

    def __call__(self, event: Message) -> None:
        self.events.append(event)
        for waiter in list(self._waiters):
            name, headers, future = waiter
            if _matches(event, name, headers) and not future.done():
                self._waiters.remove(waiter)
                future.set_result(event)

    async def wait(self, name: str, **headers: str) -> Message:
        for event in self.events:
            if _matches(event, name, headers):
                return event
        future: asyncio.Future[Message] = (
            asyncio.get_running_loop().create_future())
        self._waiters.append((name, headers, future))
        return await future

    def names(self, start: int = 0) -> list[str]:
        return [e.name for e in self.events[start:]]


def _matches(event: Message, name: str, headers: dict[str, str]) -> bool:
    return event.name == name and all(
        event.get(k) == v for k, v in headers.items())


@contextlib.asynccontextmanager
async def linked(config: SimConfig, **client_options: object,
        ) -> AsyncIterator[tuple[Simulator, AmiClient, Recorder]]:
    """A started simulator and a logged-in client recording every event."""
    async with Simulator(config) as sim:
        recorder = Recorder()
        client = AmiClient(ClientConfig(port=sim.port, username='cti',
            secret='cti-secret', backoff_initial=0.01, backoff_max=0.05,
            **client_options))  # type: ignore[arg-type]
        client.on_event('*', recorder)
        async with client:
            await client.wait_connected(5)
            yield sim, client, recorder


class RpcError(Exception):
    "An error answered by trytond: ``(name, arguments)``."


class Rpc:
    """JSON-RPC to the served suite as one user, as the web client does."""

    def __init__(self, suite: Any, login: str, password: str) -> None:
        self.url = f'{suite.url}{suite.db_name}/rpc/'
        self.auth: str | None = None
        uid, token = self._post('common.db.login',
            [login, {'password': password}, 'en'])[:2]
        self.auth = 'Session ' + base64.b64encode(
            f'{login}:{uid}:{token}'.encode()).decode()
        self.context = self.call('model.res.user.get_preferences', True)

    def call(self, method: str, *params: Any) -> Any:
        return self._post(method, [*params, getattr(self, 'context', {})])

    def _post(self, method: str, params: list[Any]) -> Any:
        headers = {'Content-Type': 'application/json'}
        if self.auth:
            headers['Authorization'] = self.auth
        request = urllib.request.Request(self.url, headers=headers,
            data=json.dumps({'id': 1, 'method': method,
                    'params': params}).encode())
        with urllib.request.urlopen(request, timeout=60) as response:
            answer = json.loads(response.read())
        if answer.get('error'):
            raise RpcError(*answer['error'])
        return answer['result']
