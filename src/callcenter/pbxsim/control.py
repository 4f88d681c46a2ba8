"""Command-line side of the simulator.

``callcenter simulator`` runs the server in the foreground.
``callcenter simulate SCENARIO`` drives a running one through its AMI port
with a private action, so no second port needs opening or securing::

    Action: SimScenario
    ActionID: 1
    Scenario: inbound
    From: +8613800138000
    Agent: agent1
    Queue: support

answered by ``Response: Success`` with the call's ``Uniqueid`` and
``Linkedid`` (``Response: Error`` and a ``Message`` otherwise). It needs a
logged-in session like any action; ``pause``/``unpause`` (``Agent``,
``Reason``) change a member's state instead of starting a call.
"""
from __future__ import annotations

import argparse
import asyncio
import contextlib
import signal
from pathlib import Path

from .config import SimConfig
from .server import Simulator
from .wire import ActionReader, Headers, encode, lookup

SCENARIOS = ('inbound', 'abandoned', 'voicemail', 'click_to_dial',
    'blind_transfer', 'attended_transfer', 'hold', 'conference', 'pickup',
    'pause', 'unpause')


def serve(args: argparse.Namespace) -> int:
    config = SimConfig(host=args.host, port=args.port, username=args.user,
        secret=args.secret, recordings=Path(args.recordings),
        tempo=0.0 if args.full_speed else args.tempo)
    asyncio.run(_serve(config))
    return 0


async def _serve(config: SimConfig) -> None:
    stop = asyncio.Event()
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError):
            loop.add_signal_handler(signum, stop.set)
    async with Simulator(config) as sim:
        print(f"PBX simulator on {config.host}:{sim.port} "
            f"(user {config.username!r}, tempo {config.tempo})", flush=True)
        await stop.wait()


def trigger(args: argparse.Namespace) -> int:
    params = {'Scenario': args.scenario, 'From': args.caller,
        'Agent': args.agent, 'Queue': args.queue,
        'Extension': args.extension, 'Target': args.target,
        'Number': args.number, 'Talk': args.talk, 'Reason': args.reason}
    answer = asyncio.run(send(args.host, args.port, args.user, args.secret,
        {k: str(v) for k, v in params.items() if v is not None}))
    print('\n'.join(f'{key}: {value}' for key, value in answer))
    return 0 if lookup(answer, 'Response') == 'Success' else 1


async def send(host: str, port: int, user: str, secret: str,
        params: dict[str, str]) -> Headers:
    """Log in (events off), send ``SimScenario``, return its answer."""
    reader, writer = await asyncio.open_connection(host, port)
    parser = ActionReader()
    try:
        await reader.readline()
        for action in ([('Action', 'Login'), ('Username', user),
                    ('Secret', secret), ('Events', 'off')],
                [('Action', 'SimScenario'), *params.items()]):
            writer.write(encode(action))
            answer = await _answer(reader, parser)
            if lookup(answer, 'Response') != 'Success':
                return answer
        writer.write(encode([('Action', 'Logoff')]))
        return answer
    finally:
        writer.close()


async def _answer(reader: asyncio.StreamReader,
        parser: ActionReader) -> Headers:
    while True:
        data = await reader.read(65536)
        if not data:
            return [('Response', 'Error'), ('Message', 'connection closed')]
        for frame in parser.feed(data):
            if lookup(frame, 'Response'):
                return frame
