"""The bridge as its own process through faults that must lose nothing.

A SIGKILL between receipt and commit (the AMI journal replays what the
killed process read) and a database that refuses connections for several
seconds (the batch waits, AMI is still read). Real processes, real TCP to
the simulator, the test PostgreSQL behind a TCP proxy the test can close.
"""
from __future__ import annotations

import asyncio
import datetime as dt
import json
import signal
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

from callcenter.pbxsim import SimConfig, Simulator

from pbxhelpers import Rpc, run
from test_bridge import Db, connected, ended, until
from test_commands import commanded, finished
from test_holdconf import _answered_call, _command, _state_is

BRIDGE = ("import logging, sys; logging.basicConfig(level=logging.WARNING,"
    " format='%(asctime)s %(name)s %(levelname)s %(message)s');"
    " from trytond.modules.callcenter_cti.bridge.bridge import main,"
    " BridgeConfig; sys.exit(main(sys.argv[1], sys.argv[2], BridgeConfig("
    "backoff_initial=0.01, backoff_max=0.2, journal_dir=sys.argv[3])))")


class Recording(Simulator):
    "The simulator, keeping the PBX times of each call's answer and end."

    def __init__(self, config: SimConfig) -> None:
        super().__init__(config)
        self.stamps: dict[str, dict[str, list[float]]] = {}

    def emit(self, name: str, privilege: str, headers: Any,
            at: float | None = None) -> None:
        super().emit(name, privilege, headers, at)
        if name in ('BridgeEnter', 'Hangup'):
            self.stamps.setdefault(dict(headers)['Linkedid'], {}).setdefault(
                name, []).append(self._latest if at is None else at)

    def times(self, linkedid: str) -> tuple[dt.datetime, dt.datetime]:
        "Answer (the second party in the bridge) and last hang-up, UTC."
        seen = self.stamps[linkedid]
        return (_utc(sorted(seen['BridgeEnter'])[1]),
            _utc(max(seen['Hangup'])))


def _utc(epoch: float) -> dt.datetime:
    return dt.datetime.fromtimestamp(epoch, dt.timezone.utc).replace(
        tzinfo=None)


def _close(a: dt.datetime, b: dt.datetime) -> bool:
    return abs((a - b).total_seconds()) < 0.002


def start_bridge(config: Path, db_name: str, journal: Path,
        log: Path) -> subprocess.Popen[bytes]:
    with open(log, 'ab') as out:
        return subprocess.Popen([sys.executable, '-c', BRIDGE, str(config),
                db_name, str(journal)], stdout=out, stderr=subprocess.STDOUT)


def test_kill_between_receipt_and_commit(suite: Any, tmp_path: Path) -> None:
    """The bridge reads a whole call while its transaction waits on a lock
    and is killed (SIGKILL) before it commits: the restarted bridge logs
    the call once, from its journal, with the PBX's times."""
    journal_dir, log = tmp_path / 'journal', tmp_path / 'bridge.log'
    journal = journal_dir / 'server-{}.ami'

    async def scenario() -> None:
        db = Db(suite)
        async with Recording(SimConfig(port=0, tempo=0.01,
                recordings=tmp_path / 'rec')) as sim:
            db.point(sim.port)
            path = Path(str(journal).format(db.server_id))
            first = start_bridge(suite.config, suite.db_name, journal_dir,
                log)
            try:
                await connected(db)
                with suite.connect() as lock, lock.transaction():
                    lock.execute("LOCK TABLE callcenter_call_leg"
                        " IN EXCLUSIVE MODE")
                    call = await sim.scenario('inbound',
                        caller='+8613800138000', agent='agent3',
                        queue='support')
                    await call.finished.wait()
                    hangup = f'Linkedid: {call.linkedid}'.encode()
                    await until(lambda: any(hangup in frame and
                            frame.startswith(b'Event: Hangup')
                            for frame in path.read_bytes().split(
                                b'\r\n\r\n')))
                    first.send_signal(signal.SIGKILL)
                    first.wait()
                assert db.call(call.linkedid) is None
            finally:
                if first.poll() is None:
                    first.kill()
                    first.wait()
            db.execute("UPDATE callcenter_pbx_server SET link_state ="
                " 'unknown' WHERE id = %s", db.server_id)
            second = start_bridge(suite.config, suite.db_name, journal_dir,
                log)
            try:
                row = await ended(db, call.linkedid)
                await until(lambda: path.stat().st_size == 0)
            finally:
                second.terminate()
                assert second.wait(30) == 0
            assert db.one("SELECT count(*) FROM callcenter_call WHERE "
                "server = %s AND linkedid = %s", db.server_id,
                call.linkedid)[0] == 1
            answer, end = sim.times(call.linkedid)
            assert row['disposition'] == 'answered'
            assert _close(row['answer_at'], answer)
            assert _close(row['hangup_at'], end)
            assert row['agent'] == db.agent('agent3')
    run(scenario(), 120)


class Proxy:
    """TCP in front of the test PostgreSQL's socket; ``down()`` cuts every
    connection, and until ``up()`` each new one is closed at once (counted
    in ``refused``), as a server that is not there yet."""

    def __init__(self, socket: Path) -> None:
        self.socket, self.port = socket, 0
        self.server: asyncio.Server | None = None
        self.writers: set[asyncio.StreamWriter] = set()
        self.refusing, self.refused = False, 0

    async def start(self) -> None:
        self.server = await asyncio.start_server(self._serve, '127.0.0.1', 0)
        self.port = self.server.sockets[0].getsockname()[1]

    async def stop(self) -> None:
        if self.server is not None:
            self.server.close()
            await self.down()

    async def down(self) -> None:
        self.refusing = True
        for writer in list(self.writers):
            writer.transport.abort()

    def up(self) -> None:
        self.refusing = False

    async def _serve(self, reader: asyncio.StreamReader,
            writer: asyncio.StreamWriter) -> None:
        if self.refusing:
            self.refused += 1
            writer.transport.abort()
            return
        up_reader, up_writer = await asyncio.open_unix_connection(
            str(self.socket))
        self.writers |= {writer, up_writer}

        async def pipe(source: asyncio.StreamReader,
                sink: asyncio.StreamWriter) -> None:
            try:
                while data := await source.read(65536):
                    sink.write(data)
                    await sink.drain()
            except OSError:
                pass
            finally:
                sink.transport.abort()
        try:
            await asyncio.gather(pipe(reader, up_writer),
                pipe(up_reader, writer))
        finally:
            self.writers -= {writer, up_writer}


def _proxied_config(config: Path, port: int, target: Path) -> Path:
    lines = []
    for line in config.read_text().splitlines():
        if line.startswith('uri ='):
            line = f'uri = postgresql://postgres@127.0.0.1:{port}/'
        lines.append(line)
    target.write_text('\n'.join(lines) + '\n')
    return target


def test_database_outage_loses_nothing(suite: Any, tmp_path: Path) -> None:
    """PostgreSQL refuses the bridge while a call is placed and ended, for
    at least 10 connection attempts (over 2 s of capped backoff; the bridge
    gave up after 3): the bridge keeps the batch (a warning in its log),
    reads on, and logs the call once the database is back."""
    log = tmp_path / 'bridge.log'
    pgdata = Path(suite.settings.pgdata)
    socket, = [p for p in pgdata.glob('.s.PGSQL.*')
        if not p.name.endswith('.lock')]

    async def scenario() -> None:
        db = Db(suite)
        proxy = Proxy(socket)
        await proxy.start()
        config = _proxied_config(Path(suite.config), proxy.port,
            tmp_path / 'trytond.conf')
        async with Recording(SimConfig(port=0, tempo=0.01,
                recordings=tmp_path / 'rec')) as sim:
            db.point(sim.port)
            bridge = start_bridge(config, suite.db_name,
                tmp_path / 'journal', log)
            try:
                await connected(db)
                await proxy.down()
                outage = time.monotonic()
                call = await sim.scenario('inbound', caller='+8613800138000',
                    agent='agent1', queue='support')
                await call.finished.wait()
                await until(lambda: b'reading AMI until it answers'
                    in log.read_bytes())
                await until(lambda: proxy.refused >= 10
                    and time.monotonic() - outage > 2)
                assert db.call(call.linkedid) is None
                proxy.up()
                row = await ended(db, call.linkedid)
            finally:
                proxy.up()      # its last flush goes through the proxy
                bridge.terminate()
                await asyncio.to_thread(bridge.wait, 30)
                await proxy.stop()
            assert db.one("SELECT count(*) FROM callcenter_call WHERE "
                "server = %s AND linkedid = %s", db.server_id,
                call.linkedid)[0] == 1
            answer, end = sim.times(call.linkedid)
            assert _close(row['answer_at'], answer)
            assert _close(row['hangup_at'], end)
            assert b'database back' in log.read_bytes()
    run(scenario(), 120)


def _expected(db: Db, login: str, english: str, chinese: str) -> str:
    "The message in the language of user ``login``."
    language, = db.one("SELECT l.code FROM res_user u LEFT JOIN ir_lang l"
        " ON u.language = l.id WHERE u.login = %s", login)
    return chinese if (language or '').startswith('zh') else english


def test_attended_transfer_that_goes_nowhere(suite: Any,
        tmp_path: Path) -> None:
    """An attended transfer asked while the customer is on hold: Asterisk
    accepts the Atxfer (it only queues DTMF) and nothing follows. The
    command fails once no consultation call came within the timeout, and
    the agent's bar is told in the agent's language; the customer stays"""
    async def scenario() -> None:
        async with commanded(suite, tmp_path) as (db, sim):
            agent1, agent3 = db.agent('agent1'), db.agent('agent3')
            call = await _answered_call(db, sim, 'agent1')
            rpc = Rpc(suite, 'agent1', 'agent1-demo')
            await _command(db, rpc, 'hold', [agent1])
            await _state_is(db, agent1, 'on_hold')
            bus = suite.connect()
            bus.execute('LISTEN bus')
            command, = await asyncio.to_thread(rpc.call,
                'model.callcenter.agent.transfer', [agent1], agent3,
                'attended')
            await sim.wait_action('Atxfer')
            row = await finished(db, command)
            assert row['state'] == 'failed'
            expected = _expected(db, 'agent1', "The attended transfer did "
                "not start: the phone system placed no call to the target."
                " The customer is still on your line.",
                "咨询转接未能开始：电话系统没有呼叫转接目标，客户仍在您的线路上。")
            assert row['error'] == expected
            told = await until(lambda: [m for m in (json.loads(n.payload)
                    for n in bus.notifies(timeout=0.5))
                    if m.get('message', {}).get('type')
                    == 'callcenter.command_failed'
                    and m['message'].get('command') == command])
            bus.close()
            assert told[0]['message']['error'] == expected
            assert call.channels[0].name in sim.pbx.channels
            assert not call.finished.is_set()
            sim.hangup(call, 'caller')
            await call.finished.wait()
    run(scenario(), 90)


def test_attended_transfer_done_when_consulting(suite: Any,
        tmp_path: Path) -> None:
    """A reachable target: the Atxfer is done once its consultation call
    rings; the simulator, as Asterisk, hands the customer over only when
    the agent hangs up (the agent's Hang Up on the bar)"""
    async def scenario() -> None:
        async with commanded(suite, tmp_path) as (db, sim):
            agent1, agent3 = db.agent('agent1'), db.agent('agent3')
            call = await _answered_call(db, sim, 'agent1')
            rpc = Rpc(suite, 'agent1', 'agent1-demo')
            await _command(db, rpc, 'transfer', [agent1], agent3,
                'attended')
            await _state_is(db, agent3, 'on_call')
            consulting = [c for c in call.channels if c.agent == '1001']
            assert all(c.name in sim.pbx.channels for c in consulting)
            await _command(db, rpc, 'hang_up', [agent1])
            await until(lambda: not any(c.name in sim.pbx.channels
                    for c in consulting))
            sim.hangup(call, 'caller')
            await call.finished.wait()
            row = await ended(db, call.linkedid)
            assert row['transfer_target'] == '1003'
    run(scenario(), 90)
