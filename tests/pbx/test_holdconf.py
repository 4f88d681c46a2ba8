"""Hold/resume, conference and queue logout through the bridge: agents'
RPC calls → commands → AMI moves → the simulator's events → call log and
agent states → bus (real PostgreSQL, real TCP)."""
from __future__ import annotations

import asyncio
import contextlib
import json
from pathlib import Path
from typing import Any, Iterator

from pbxhelpers import Rpc, run
from test_bridge import TEST_CALLS, Db, ended, until
from test_commands import commanded, finished

CALLER = '+8613800138000'


class BusListener:
    """The agent states trytond's bus NOTIFYs on the directory channel, as
    the phone bars get them."""

    def __init__(self, suite: Any) -> None:
        self.conn = suite.connect()
        self.conn.execute('LISTEN bus')

    def states(self, agent: int) -> list[str]:
        found = []
        for notify in self.conn.notifies(timeout=0.5):
            payload = json.loads(notify.payload)
            message = payload.get('message', {})
            if (payload.get('channel') == 'callcenter.agent_states'
                    and message.get('type') == 'callcenter.agent_state'
                    and message.get('agent') == agent):
                found.append(message['state'])
        return found

    def close(self) -> None:
        self.conn.close()


def _state(db: Db, agent: int) -> str:
    return db.one("SELECT state FROM callcenter_agent WHERE id = %s",
        agent)[0]


async def _state_is(db: Db, agent: int, state: str) -> None:
    await until(lambda: _state(db, agent) == state)


async def _answered_call(db: Db, sim: Any, agent: str) -> Any:
    "An inbound call the agent answered, logged and bridged."
    db.execute("UPDATE callcenter_agent SET state_since = NULL")
    call = await sim.scenario('inbound', caller=CALLER, agent=agent,
        queue='support', talk=None)
    await call.answered.wait()
    await _state_is(db, db.agent(agent), 'on_call')
    return call


async def _command(db: Db, rpc: Rpc, method: str, *args: Any) -> None:
    command, = await asyncio.to_thread(rpc.call,
        f'model.callcenter.agent.{method}', *args)
    row = await finished(db, command)
    assert row['state'] == 'done', row['error']


def test_hold_then_resume(suite: Any, tmp_path: Path) -> None:
    """Hold from the bar puts the agent on hold (logged with start and end,
    told on the bus); Resume bridges the call again"""
    async def scenario() -> None:
        async with commanded(suite, tmp_path) as (db, sim):
            agent = db.agent('agent1')
            call = await _answered_call(db, sim, 'agent1')
            bus = BusListener(suite)
            rpc = Rpc(suite, 'agent1', 'agent1-demo')
            await _command(db, rpc, 'hold', [agent])
            redirect = await sim.wait_action('Redirect')
            assert redirect['context'] == 'callcenter-hold'
            assert redirect['extrachannel'].startswith('PJSIP/1001-')
            await _state_is(db, agent, 'on_hold')
            await _command(db, rpc, 'resume', [agent])
            bridge = await sim.wait_action('Bridge')
            assert bridge['channel1'] == redirect['extrachannel']
            assert bridge['channel2'] == redirect['channel']
            await _state_is(db, agent, 'on_call')
            start, end = db.one("SELECT start, \"end\" FROM "
                "callcenter_agent_state WHERE agent = %s AND state = "
                "'on_hold' ORDER BY id DESC LIMIT 1", agent)
            assert end is not None and end > start
            states = await asyncio.to_thread(bus.states, agent)
            bus.close()
            assert states[-2:] == ['on_hold', 'on_call']
            sim.hangup(call, 'caller')
            await call.finished.wait()
            row = await ended(db, call.linkedid)
            assert row['disposition'] == 'answered'
    run(scenario(), 90)


def test_hangup_on_hold_closes_call_once(suite: Any, tmp_path: Path) -> None:
    "The customer hanging up while on hold ends the call once, talk kept"
    async def scenario() -> None:
        async with commanded(suite, tmp_path) as (db, sim):
            agent = db.agent('agent2')
            call = await _answered_call(db, sim, 'agent2')
            rpc = Rpc(suite, 'agent2', 'agent2-demo')
            await _command(db, rpc, 'hold', [agent])
            await _state_is(db, agent, 'on_hold')
            sim.hangup(call, 'caller')
            await call.finished.wait()
            row = await ended(db, call.linkedid)
            assert db.one("SELECT count(*) FROM callcenter_call WHERE "
                "server = %s AND linkedid = %s", db.server_id,
                call.linkedid)[0] == 1
            assert db.one("SELECT count(*) FROM callcenter_call_leg WHERE "
                "call = %s AND hangup_at IS NULL", row['id'])[0] == 0
            assert row['talk_duration'].total_seconds() > 0
            assert row['talk_duration'] == row['hangup_at'] - row['answer_at']
            await until(lambda: _state(db, agent) in ('wrap_up', 'ready'))
            assert db.one("SELECT count(*) FROM callcenter_agent_state WHERE"
                " agent = %s AND state = 'on_hold' AND \"end\" IS NULL",
                agent)[0] == 0
    run(scenario(), 90)


def test_conference_third_agent_on_call(suite: Any, tmp_path: Path) -> None:
    """Conference with a picked agent: their leg is on the same call (whose
    caller stays the customer), on call; the call stays open while the
    third agent is alone in the room and ends once when they leave"""
    async def scenario() -> None:
        async with commanded(suite, tmp_path) as (db, sim):
            agent1, agent3 = db.agent('agent1'), db.agent('agent3')
            call = await _answered_call(db, sim, 'agent1')
            rpc = Rpc(suite, 'agent1', 'agent1-demo')
            await _command(db, rpc, 'conference', [agent1], agent3)
            originate = await sim.wait_action('Originate')
            assert originate['channel'] == 'PJSIP/1003'
            assert originate['exten'] == call.linkedid
            await _state_is(db, agent3, 'on_call')
            row = db.call(call.linkedid)
            await until(lambda: db.one("SELECT count(*) FROM "
                "callcenter_call_leg WHERE call = %s AND agent = %s",
                row['id'], agent3)[0] == 1)
            assert db.one("SELECT count(*) FROM callcenter_call WHERE"
                f" server = %s AND {TEST_CALLS}", db.server_id)[0] == 1
            await _leave_room_last(db, sim, 'PJSIP/1003-')
            await call.finished.wait()
            row = await ended(db, call.linkedid)
            assert row['disposition'] == 'answered'
            assert db.one("SELECT count(*) FROM callcenter_call WHERE"
                f" server = %s AND {TEST_CALLS}", db.server_id)[0] == 1
            assert db.one("SELECT count(*) FROM callcenter_call_leg WHERE"
                " call = %s AND hangup_at IS NOT NULL", row['id'])[0] == 3
            await until(lambda: _state(db, agent3) in ('wrap_up', 'ready'))
    run(scenario(), 90)


async def _leave_room_last(db: Db, sim: Any, last: str) -> None:
    """Everyone but the channel named ``last…`` hangs up first: the call
    stays open, its caller the customer; then that channel hangs up."""
    linkedid = sim.calls[0].linkedid
    stays = next(c for c in sim.pbx.channels if c.startswith(last))
    for channel in [c for c in sim.pbx.channels if c != stays]:
        sim.call_of(channel).request(_hangup(channel))
        await until(lambda: db.one("SELECT hangup_at IS NOT NULL FROM"
            " callcenter_call_leg WHERE server = %s AND channel = %s",
            db.server_id, channel)[0])
    row = db.call(linkedid)
    assert (row['state'], row['caller'], row['direction']) == (
        'open', CALLER, 'inbound')
    sim.call_of(stays).request(_hangup(stays))


@contextlib.contextmanager
def _local_phones(db: Db) -> Iterator[None]:
    "The agents' phones as Local channels, as on the lab's Asterisk."
    db.execute("UPDATE callcenter_agent SET interface = 'Local/' ||"
        " extension || '@agents/n' WHERE server = %s", db.server_id)
    try:
        yield
    finally:
        db.execute("UPDATE callcenter_agent SET interface = 'PJSIP/' ||"
            " extension WHERE server = %s", db.server_id)


def test_transfer_after_hold_local_phones(suite: Any,
        tmp_path: Path) -> None:
    """With Local-channel phones and callers listed in any order, hold,
    resume and a blind transfer move the customer to the target agent, who
    is on call with them; the call ends once, transferred"""
    async def scenario() -> None:
        with _local_phones(Db(suite)):
            async with commanded(suite, tmp_path, agent_tech='Local',
                    caller_tech='Local', channel_order='reversed') as (
                    db, sim):
                agent1, agent3 = db.agent('agent1'), db.agent('agent3')
                call = await _answered_call(db, sim, 'agent1')
                rpc = Rpc(suite, 'agent1', 'agent1-demo')
                await _command(db, rpc, 'hold', [agent1])
                await _state_is(db, agent1, 'on_hold')
                await _command(db, rpc, 'resume', [agent1])
                await _state_is(db, agent1, 'on_call')
                await _command(db, rpc, 'transfer', [agent1], agent3,
                    'blind')
                await _state_is(db, agent3, 'on_call')
                row = db.call(call.linkedid)
                assert row['state'] != 'ended'
                assert row['transfer_target'] == '1003'
                sim.hangup(call, 'caller')
                await call.finished.wait()
                row = await ended(db, call.linkedid)
                assert row['disposition'] == 'answered'
    run(scenario(), 90)


def _hangup(channel: str) -> Any:
    from callcenter.pbxsim.calls import Request
    return Request('hangup', channel)


def test_queue_logout_of_all_queues(suite: Any, tmp_path: Path) -> None:
    """Logging out of every queue shows the agent logged out; logging in
    again shows them ready"""
    async def scenario() -> None:
        async with commanded(suite, tmp_path) as (db, sim):
            agent = db.agent('agent3')
            db.execute("UPDATE callcenter_agent SET state_since = NULL")
            rpc = Rpc(suite, 'agent3', 'agent3-demo')
            await _command(db, rpc, 'queue_logout', [agent])
            await _state_is(db, agent, 'logged_out')
            assert not sim.pbx.members_of('PJSIP/1003')
            await _command(db, rpc, 'queue_login', [agent])
            await _state_is(db, agent, 'ready')
    run(scenario(), 90)


def _member_event(name: str, queue: str) -> Any:
    from trytond.modules.callcenter_cti.bridge.protocol import FrameParser
    message, = FrameParser().feed((f'Event: {name}\r\nQueue: {queue}\r\n'
        'Interface: PJSIP/1001\r\nStatus: 1\r\nPaused: 0\r\n\r\n').encode())
    return message


def test_logout_shown_from_the_last_queue_only() -> None:
    "Leaving one of two queues keeps the agent logged in; the last logs out"
    from trytond.modules.callcenter_cti.bridge import mapping
    from trytond.modules.callcenter_cti.bridge.membership import Membership
    membership = Membership()
    membership.reset([_member_event('QueueMember', 'support'),
            _member_event('QueueMember', 'sales')])

    def states(name: str, queue: str) -> list[str]:
        message = _member_event(name, queue)
        return [s['state'] for s in membership.filter(
                message, mapping.to_states(message))]
    assert states('QueueMemberRemoved', 'sales') == []
    assert states('QueueMemberRemoved', 'support') == ['logged_out']
    assert states('QueueMemberAdded', 'sales') == ['ready']


def test_attended_transfer_target_without_block(suite: Any,
        tmp_path: Path) -> None:
    """An attended transfer whose AttendedTransfer event has no
    TransferTarget block (as Asterisk 22.10.1 sent it once, issue 17) still
    logs the agent the call went to"""
    async def scenario() -> None:
        async with commanded(suite, tmp_path,
                transfer_target_block=0.0) as (db, sim):
            agent1, agent3 = db.agent('agent1'), db.agent('agent3')
            call = await _answered_call(db, sim, 'agent1')
            rpc = Rpc(suite, 'agent1', 'agent1-demo')
            await _command(db, rpc, 'transfer', [agent1], agent3,
                'attended')
            await _state_is(db, agent3, 'on_call')
            # Asterisk hands the caller over when the agent hangs up.
            await _command(db, rpc, 'hang_up', [agent1])
            await until(lambda: _state(db, agent1) != 'on_call')
            sim.hangup(call, 'caller')
            await call.finished.wait()
            row = await ended(db, call.linkedid)
            assert row['transfer_target'] == '1003'
    run(scenario(), 90)
