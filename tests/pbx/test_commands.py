"""Phone commands: agents' RPC calls → command records → the bridge → AMI.

Agents call the served suite over JSON-RPC as themselves; the bridge runs
in-process against a simulator on a free port (real TCP both ways).
"""
from __future__ import annotations

import asyncio
import contextlib
from pathlib import Path
from typing import Any, AsyncIterator

import pytest

from callcenter.pbxsim import SimConfig, Simulator, actions as sim_actions
from trytond.modules.callcenter_cti.bridge import commands
from trytond.modules.callcenter_cti.bridge.bridge import Bridge

from pbxhelpers import Rpc, RpcError, run
from test_bridge import FAST, Db, connected, until


def command_row(db: Db, command_id: int) -> dict[str, Any]:
    with db.suite.connect() as conn:
        cursor = conn.execute("SELECT * FROM callcenter_pbx_command"
            " WHERE id = %s", (command_id,))
        row = cursor.fetchone()
        return dict(zip([c.name for c in cursor.description], row))


def finished(db: Db, command_id: int) -> Any:
    return until(lambda: (lambda r: r if r['state'] in ('done', 'failed')
            else None)(command_row(db, command_id)))


def originates(sim: Simulator) -> int:
    return sum(1 for headers in sim.received if any(k.lower() == 'action'
            and v.lower() == 'originate' for k, v in headers))


@contextlib.asynccontextmanager
async def commanded(suite: Any, tmp_path: Path, clean: bool = True,
        **sim_options: Any) -> AsyncIterator[tuple[Db, Simulator]]:
    """A simulator (``SimConfig`` options), the bridge on it, and
    (``clean``) no command left by other tests."""
    db = Db(suite)
    if clean:
        db.execute("DELETE FROM callcenter_pbx_command")
    async with Simulator(SimConfig(port=0, tempo=0.01,
            recordings=tmp_path / 'rec', **sim_options)) as sim:
        db.point(sim.port)
        task = asyncio.create_task(
            Bridge(suite.config, suite.db_name, FAST).run())
        try:
            await connected(db)
            yield db, sim
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)


def test_agent_commands_only_own_phone(suite: Any) -> None:
    "An agent may not command another agent's phone; their leader may"
    db = Db(suite)
    agent1, agent2 = db.agent('agent1'), db.agent('agent2')
    rpc = Rpc(suite, 'agent1', 'agent1-demo')
    with pytest.raises(RpcError) as refused:
        rpc.call('model.callcenter.agent.dial', [agent2], '+8613800138000')
    assert 'may not control the phone' in str(refused.value)
    assert db.one("SELECT count(*) FROM callcenter_pbx_command WHERE"
        " agent = %s AND state = 'queued'", agent2)[0] == 0
    own, = rpc.call('model.callcenter.agent.dial', [agent1],
        '+86 138 0013 8000')
    row = command_row(db, own)
    assert (row['action'], row['state']) == ('originate', 'queued')
    leader = Rpc(suite, 'leader1', 'leader1-demo')
    led, = leader.call('model.callcenter.agent.set_not_ready', [agent2],
        'Meeting')
    assert command_row(db, led)['agent'] == agent2
    db.execute("DELETE FROM callcenter_pbx_command")


def test_directory_lists_agents_with_state(suite: Any) -> None:
    "The directory gives every agent's extension, state, teams and queues"
    rpc = Rpc(suite, 'agent1', 'agent1-demo')
    entries = rpc.call('model.callcenter.agent.directory')
    by_extension = {e['extension']: e for e in entries}
    assert {'1001', '1002', '1003'} <= set(by_extension)
    assert by_extension['1002']['queues'][0]['name'] == 'support'
    assert by_extension['1002']['teams']
    found = rpc.call('model.callcenter.agent.directory', '1003')
    assert [e['extension'] for e in found] == ['1003']
    bar = rpc.call('model.callcenter.agent.phone_bar')
    assert bar['extension'] == '1001' and bar['reasons']


def test_dial_woken_by_notify(suite: Any, tmp_path: Path,
        monkeypatch: pytest.MonkeyPatch) -> None:
    """Click-to-dial: Originate of the agent's interface with the number,
    sent on NOTIFY (the fallback poll is made too slow to matter)"""
    monkeypatch.setattr(commands, 'POLL_INTERVAL', 600.0)

    async def scenario() -> None:
        async with commanded(suite, tmp_path) as (db, sim):
            number, _party = db.customer()
            await asyncio.sleep(0.5)    # the pump's first look is done
            rpc = Rpc(suite, 'agent1', 'agent1-demo')
            command_id, = await asyncio.to_thread(rpc.call,
                'model.callcenter.agent.dial', [db.agent('agent1')], number)
            async with asyncio.timeout(20):
                action = await sim.wait_action('Originate')
            assert action['channel'] == 'PJSIP/1001'
            assert action['exten'] == number
            assert action['context'] == 'outbound'
            row = await finished(db, command_id)
            assert row['state'] == 'done', row['error']
            assert row['sent_at'] <= row['done_at']
    run(scenario(), 90)


def test_sent_command_not_replayed_after_reconnect(suite: Any,
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """An Originate without answer when the link drops fails as "link lost;
    not retried" and never reaches the PBX again, while later commands go"""
    release = asyncio.Event()

    async def silent_originate(sim: Any, session: Any, h: Any) -> Any:
        await release.wait()    # Asterisk died before answering
        return [sim_actions.error('gone')]
    monkeypatch.setitem(sim_actions.HANDLERS, 'originate', silent_originate)

    async def scenario() -> None:
        async with commanded(suite, tmp_path) as (db, sim):
            agent = db.agent('agent1')
            rpc = Rpc(suite, 'agent1', 'agent1-demo')
            dial, = await asyncio.to_thread(rpc.call,
                'model.callcenter.agent.dial', [agent], '+8613800138000')
            await sim.wait_action('Originate')
            assert sim.drop_connections()
            row = await finished(db, dial)
            assert (row['state'], row['error']) == (
                'failed', 'link lost; not retried')
            await connected(db)
            ready, = await asyncio.to_thread(rpc.call,
                'model.callcenter.agent.set_ready', [agent])
            assert (await finished(db, ready))['state'] == 'done'
            assert originates(sim) == 1
            release.set()
    run(scenario(), 90)


def test_sent_command_of_dead_bridge_failed(suite: Any,
        tmp_path: Path) -> None:
    "A command left sent by a killed bridge fails when a bridge links up"
    async def scenario() -> None:
        db = Db(suite)
        db.execute("DELETE FROM callcenter_pbx_command")
        rpc = Rpc(suite, 'agent1', 'agent1-demo')
        dial, = await asyncio.to_thread(rpc.call,
            'model.callcenter.agent.dial', [db.agent('agent1')],
            '+8613800138000')
        db.execute("UPDATE callcenter_pbx_command SET state = 'sent',"
            " sent_at = now() AT TIME ZONE 'UTC' WHERE id = %s", dial)
        async with commanded(suite, tmp_path, False) as (db, sim):
            row = await finished(db, dial)
            assert row['error'] == 'link lost; not retried'
            assert originates(sim) == 0
    run(scenario(), 90)


def test_hang_up_without_call_reports_failure(suite: Any,
        tmp_path: Path) -> None:
    "Hanging up an idle phone fails with a message naming the phone"
    async def scenario() -> None:
        async with commanded(suite, tmp_path) as (db, _sim):
            rpc = Rpc(suite, 'agent3', 'agent3-demo')
            hang_up, = await asyncio.to_thread(rpc.call,
                'model.callcenter.agent.hang_up', [db.agent('agent3')])
            row = await finished(db, hang_up)
            assert row['state'] == 'failed'
            assert row['error'] == 'no call on the phone of PJSIP/1003'
    run(scenario(), 90)


def test_blind_transfer_reaches_target(suite: Any, tmp_path: Path) -> None:
    "A blind transfer moves the agent's call to the chosen agent's phone"
    async def scenario() -> None:
        async with commanded(suite, tmp_path) as (db, sim):
            call = await sim.scenario('inbound', caller='+8613800138000',
                agent='agent2', queue='support', talk=None)
            await call.answered.wait()
            rpc = Rpc(suite, 'agent2', 'agent2-demo')
            transfer, = await asyncio.to_thread(rpc.call,
                'model.callcenter.agent.transfer', [db.agent('agent2')],
                db.agent('agent3'), 'blind')
            action = await sim.wait_action('BlindTransfer')
            assert action['channel'].startswith('PJSIP/1002-')
            assert action['exten'] == '1003'
            assert (await finished(db, transfer))['state'] == 'done'
            sim.hangup(call, 'caller')
            await call.finished.wait()
    run(scenario(), 90)
