"""The CTI bridge against the PBX simulator, on the served demo database.

Each test points the demo PBX record at its own simulator (port 0), runs
the bridge in-process (or as ``callcenter bridge``) and polls the call log
with a deadline.
"""
from __future__ import annotations

import asyncio
import contextlib
import dataclasses
import os
import signal
import subprocess
import sys
from pathlib import Path
from typing import Any, AsyncIterator, Callable

import pytest

from callcenter.pbxsim import SimConfig, Simulator
from trytond.modules.callcenter_cti.bridge import mapping
from trytond.modules.callcenter_cti.bridge.bridge import Bridge, BridgeConfig
from trytond.modules.callcenter_cti.bridge.protocol import FrameParser

from pbxhelpers import capture, run

FAST = BridgeConfig(backoff_initial=0.01, backoff_max=0.2,
    consult_timeout=3.0)


def replay(name: str) -> list[dict[str, Any]]:
    return [e for m in FrameParser().feed(capture(name))
        for e in mapping.to_events(m)]


def test_capture_inbound_events() -> None:
    events = replay('inbound_queue_call.txt')
    assert {e['linkedid'] for e in events} == {'1795462804.0'}
    origin = [e for e in events if e['kind'] == 'channel_created'
        and e['uniqueid'] == '1795462804.0']
    assert origin[-1]['caller'] == '+4930123456'
    assert origin[-1]['direction'] == 'inbound'
    kinds = [e['kind'] for e in events]
    for kind in ('queue_join', 'agent_called', 'agent_connect', 'bridged',
            'agent_complete', 'recording'):
        assert kind in kinds
    answered = [e for e in events if e['kind'] == 'answered'
        and e['uniqueid'] == '1795462804.2']
    assert len(answered) == 1
    hangups = {e['uniqueid'] for e in events if e['kind'] == 'hangup'}
    assert hangups == {'1795462804.0', '1795462804.2'}
    assert all(e.get('uniqueid') != '1795462804.1' for e in events)


def test_capture_outbound_events() -> None:
    events = replay('outbound_click_to_dial.txt')
    assert {e['linkedid'] for e in events} == {'1795462819.4'}
    callees = [e.get('callee') for e in events if e['kind']
        == 'channel_created' and e['uniqueid'] == '1795462819.4']
    assert callees[0] is None and callees[-1] == '+4940555123'
    assert [e['uniqueid'] for e in events if e['kind'] == 'answered'] == [
        '1795462819.4', '1795462821.6']
    assert len([e for e in events if e['kind'] == 'hangup']) == 2


def test_pause_maps_to_not_ready() -> None:
    data = (b'Event: QueueMemberPause\r\nQueue: support\r\n'
        b'Interface: PJSIP/1001\r\nPaused: 1\r\nPausedReason: lunch\r\n\r\n')
    message, = FrameParser().feed(data)
    assert mapping.to_states(message) == [{'state': 'not_ready',
        'reason': 'lunch', 'interface': 'PJSIP/1001', 'time': None}]
    assert mapping.to_events(message) == []


# -- against the database ----------------------------------------------------

# Foreign keys that forbid deleting the rows they point to.
BLOCKING_REFERENCES = """
SELECT DISTINCT source.relname, attribute.attname
FROM pg_constraint AS fk
JOIN pg_class AS source ON source.oid = fk.conrelid
JOIN pg_attribute AS attribute
    ON attribute.attrelid = fk.conrelid AND attribute.attnum = fk.conkey[1]
WHERE fk.contype = 'f' AND fk.confrelid = %s::regclass
    AND fk.confdeltype IN ('r', 'a') AND fk.conrelid <> fk.confrelid"""


#: The calls the tests made, not the demo's (``demo-qa.N``).
TEST_CALLS = "linkedid NOT LIKE 'demo-%%'"


def purge(conn, table, where, args, seen=()):
    """Delete the rows of ``table`` matching ``where`` after the rows of
    other tables that reference them and would forbid it (a QA evaluation
    or a questionnaire response of a demo call)."""
    for source, column in conn.execute(BLOCKING_REFERENCES, (table,)):
        if source not in seen:
            purge(conn, source,
                f'"{column}" IN (SELECT id FROM "{table}" WHERE {where})',
                args, seen + (table,))
    conn.execute(f'DELETE FROM "{table}" WHERE {where}', args)


class Db:
    def __init__(self, suite: Any) -> None:
        self.suite = suite
        with suite.connect() as conn:
            self.server_id = conn.execute(
                "SELECT id FROM callcenter_pbx_server ORDER BY id"
                " LIMIT 1").fetchone()[0]

    def one(self, query: str, *args: Any) -> Any:
        with self.suite.connect() as conn:
            return conn.execute(query, args).fetchone()

    def execute(self, query: str, *args: Any) -> None:
        with self.suite.connect() as conn:
            conn.execute(query, args)

    def point(self, port: int, secret: str = 'cti-secret') -> None:
        """Aim the demo PBX record at a simulator; forget the calls of
        earlier tests (the demo's stay: the QA and report tests read them)
        and when the agents' states began (a fast simulator's clock runs
        ahead of the wall clock: an earlier test's state would look newer
        than this test's)."""
        with self.suite.connect() as conn:
            purge(conn, 'callcenter_call', f'server = %s AND {TEST_CALLS}',
                (self.server_id,))
        self.execute("UPDATE callcenter_agent SET state_since = NULL"
            " WHERE server = %s", self.server_id)
        self.execute("UPDATE callcenter_pbx_server SET port = %s, "
            "secret = %s, host = '127.0.0.1', link_state = 'unknown', "
            "link_message = NULL, active = true WHERE id = %s",
            port, secret, self.server_id)

    def agent(self, login: str) -> int:
        return self.one("SELECT a.id FROM callcenter_agent a JOIN res_user u"
            " ON a.user = u.id WHERE u.login = %s", login)[0]

    def customer(self) -> tuple[str, int]:
        "A demo customer's number that matches that customer only."
        return self.one("SELECT min(value_compact), min(party)"
            " FROM party_contact_mechanism WHERE type = 'mobile'"
            " AND active GROUP BY value_compact HAVING count(*) = 1"
            " ORDER BY 1 LIMIT 1")

    def call(self, linkedid: str) -> dict[str, Any] | None:
        with self.suite.connect() as conn:
            cursor = conn.execute("SELECT * FROM callcenter_call WHERE"
                " server = %s AND linkedid = %s", (self.server_id, linkedid))
            row = cursor.fetchone()
            if row is None:
                return None
            return dict(zip([c.name for c in cursor.description], row))


async def until(check: Callable[[], Any], timeout: float = 30.0) -> Any:
    "Poll ``check`` (in a thread) until it returns something true."
    async with asyncio.timeout(timeout):
        while True:
            result = await asyncio.to_thread(check)
            if result:
                return result
            await asyncio.sleep(0.05)


async def ended(db: Db, linkedid: str) -> dict[str, Any]:
    return await until(lambda: (lambda c: c if c and c['state'] == 'ended'
            else None)(db.call(linkedid)))


@contextlib.asynccontextmanager
async def bridged(suite: Any, tmp_path: Path, secret: str = 'cti-secret',
        ) -> AsyncIterator[tuple[Db, Simulator]]:
    db = Db(suite)
    async with Simulator(SimConfig(port=0, tempo=0.01,
            recordings=tmp_path / 'rec')) as sim:
        db.point(sim.port, secret)
        task = asyncio.create_task(
            Bridge(suite.config, suite.db_name, FAST).run())
        try:
            if secret == 'cti-secret':
                await connected(db)
            yield db, sim
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)


async def connected(db: Db) -> None:
    await until(lambda: db.one("SELECT link_state = 'connected' FROM "
            "callcenter_pbx_server WHERE id = %s", db.server_id)[0])


def test_inbound_answered(suite: Any, tmp_path: Path) -> None:
    async def scenario() -> None:
        async with bridged(suite, tmp_path) as (db, sim):
            number, party = db.customer()
            call = await sim.scenario('inbound', caller=number,
                agent='agent1', queue='support')
            await call.finished.wait()
            row = await ended(db, call.linkedid)
            assert row['direction'] == 'inbound'
            assert row['agent'] == db.agent('agent1')
            assert row['party'] == party
            assert row['disposition'] == 'answered'
            assert row['ring_at'] and row['answer_at'] and row['hangup_at']
            assert row['talk_duration'].total_seconds() > 0
    run(scenario(), 60)


@pytest.mark.parametrize('name, disposition', [
        ('abandoned', 'abandoned'), ('voicemail', 'voicemail')])
def test_unanswered(suite: Any, tmp_path: Path, name: str,
        disposition: str) -> None:
    async def scenario() -> None:
        async with bridged(suite, tmp_path) as (db, sim):
            params: dict[str, Any] = {'caller': '+8613800138000'}
            if name == 'voicemail':
                params['extension'] = '1002'
            call = await sim.scenario(name, **params)
            await call.finished.wait()
            row = await ended(db, call.linkedid)
            assert row['disposition'] == disposition
            assert row['answer_at'] is None
    run(scenario(), 60)


def test_click_to_dial(suite: Any, tmp_path: Path) -> None:
    async def scenario() -> None:
        async with bridged(suite, tmp_path) as (db, sim):
            number, party = db.customer()
            call = await sim.scenario('click_to_dial', agent='agent1',
                number=number)
            await call.finished.wait()
            row = await ended(db, call.linkedid)
            assert row['direction'] == 'outbound'
            assert row['callee'] == number
            assert row['party'] == party
            assert row['agent'] == db.agent('agent1')
            assert row['disposition'] == 'answered'
    run(scenario(), 60)


def _link_state(db: Db) -> str:
    return db.one("SELECT link_state FROM callcenter_pbx_server"
        " WHERE id = %s", db.server_id)[0]


def _queue_statuses(sim: Simulator) -> int:
    "How many QueueStatus actions (the bridge's last resync step) came in."
    return sum(1 for headers in sim.received if any(
            k.lower() == 'action' and v.lower() == 'queuestatus'
            for k, v in headers))


@pytest.mark.parametrize('hangup', ['after_resync', 'during_outage'])
def test_drop_mid_call_resync(suite: Any, tmp_path: Path,
        hangup: str) -> None:
    """The link drops while a call is up; the caller hangs up once the
    bridge is back (Hangup event) or while it is still out (the resync
    closes the call). Either way: one call, its answer kept, a talk time
    that is never negative though the simulator's clock runs ahead."""
    async def scenario() -> None:
        async with bridged(suite, tmp_path) as (db, sim):
            call = await sim.scenario('inbound', caller='+8613800138000',
                agent='agent2', queue='support', talk=None)
            await call.answered.wait()
            await until(lambda: (db.call(call.linkedid) or {}).get(
                    'answer_at'))
            before = db.call(call.linkedid)
            resyncs = _queue_statuses(sim)
            if hangup == 'during_outage':
                sim.config = dataclasses.replace(sim.config,
                    secret='changed')   # the bridge stays out
            assert sim.drop_connections()
            if hangup == 'during_outage':
                await until(lambda: _link_state(db) == 'auth_failed')
                sim.hangup(call, 'caller')
                await call.finished.wait()
                sim.config = dataclasses.replace(sim.config,
                    secret='cti-secret')
            await until(lambda: _queue_statuses(sim) > resyncs)
            if hangup == 'after_resync':
                sim.hangup(call, 'caller')
                await call.finished.wait()
            row = await ended(db, call.linkedid)
            assert db.one("SELECT count(*) FROM callcenter_call WHERE "
                "server = %s AND linkedid = %s", db.server_id,
                call.linkedid)[0] == 1
            assert row['answer_at'] == before['answer_at']
            assert row['start_at'] == before['start_at']
            assert row['disposition'] == 'answered'
            assert row['hangup_at'] >= row['answer_at']
            if hangup == 'after_resync':
                assert row['talk_duration'].total_seconds() > 0
                assert not row['cut_by_fault']
            else:
                assert row['talk_duration'].total_seconds() >= 0
                assert row['cut_by_fault']  # its end was not seen
    run(scenario(), 60)


def test_bridge_process_killed_mid_call(suite: Any, tmp_path: Path) -> None:
    env = {**os.environ, 'CALLCENTER_DB_URI': suite.server_uri,
        'CALLCENTER_DB_NAME': suite.db_name}
    command = [str(Path(sys.executable).with_name('callcenter')), 'bridge']

    async def scenario() -> None:
        db = Db(suite)
        async with Simulator(SimConfig(port=0, tempo=0.01,
                recordings=tmp_path / 'rec')) as sim:
            db.point(sim.port)
            first = subprocess.Popen(command, env=env)
            try:
                await connected(db)
                call = await sim.scenario('inbound', caller='+8613800138000',
                    agent='agent3', queue='support', talk=None)
                await call.answered.wait()
                await until(lambda: (db.call(call.linkedid) or {}).get(
                        'answer_at'))
            finally:
                first.send_signal(signal.SIGKILL)
                first.wait()
            answered = db.call(call.linkedid)['answer_at']
            db.execute("UPDATE callcenter_pbx_server SET link_state ="
                " 'unknown' WHERE id = %s", db.server_id)
            second = subprocess.Popen(command, env=env)
            try:
                await connected(db)
                sim.hangup(call, 'agent')
                await call.finished.wait()
                row = await ended(db, call.linkedid)
            finally:
                second.terminate()
                assert second.wait(30) == 0
            assert db.one("SELECT count(*) FROM callcenter_call WHERE "
                "server = %s AND linkedid = %s", db.server_id,
                call.linkedid)[0] == 1
            assert row['answer_at'] == answered
            assert row['disposition'] == 'answered'
    run(scenario(), 120)


def test_wrong_secret(suite: Any, tmp_path: Path) -> None:
    async def scenario() -> None:
        async with bridged(suite, tmp_path, secret='wrong') as (db, _sim):
            state, message = await until(lambda: (lambda r: r if r[0]
                    == 'auth_failed' else None)(db.one("SELECT link_state,"
                    " link_message FROM callcenter_pbx_server WHERE id = %s",
                    db.server_id)))
            assert 'secret' in message
    run(scenario(), 60)


async def paused(db: Db, sim: Simulator, login: str, reason: str) -> int:
    "The PBX pauses agent ``login`` with ``reason``: shown not ready."
    agent = db.agent(login)
    # Earlier simulated calls ran on the simulator's fast clock, ahead of
    # the wall clock that stamps this pause.
    db.execute("UPDATE callcenter_agent SET state_since = NULL"
        " WHERE id = %s", agent)
    assert sim.pause(login, paused=True, reason=reason)
    await until(lambda: db.one("SELECT state = 'not_ready' AND "
        "state_reason = %s FROM callcenter_agent WHERE id = %s",
        reason, agent)[0])
    return agent


def test_pause_with_reason(suite: Any, tmp_path: Path) -> None:
    async def scenario() -> None:
        async with bridged(suite, tmp_path) as (db, sim):
            agent = await paused(db, sim, 'agent2', 'lunch')
            assert db.one("SELECT count(*) FROM callcenter_agent_state WHERE"
                " agent = %s AND state = 'not_ready' AND reason = 'lunch'"
                " AND \"end\" IS NULL", agent)[0] == 1
            assert sim.pause('agent2', paused=False)
            await until(lambda: db.one("SELECT state = 'ready' FROM "
                "callcenter_agent WHERE id = %s", agent)[0])
    run(scenario(), 60)
