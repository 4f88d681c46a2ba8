"""A conference through the bridge: the third agent is a leg of the
customer's call, which stays open while anyone is in the room (real PBX
behaviour: joining a ConfBridge keeps the channel's Linkedid)."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from pbxhelpers import Rpc, run
from test_bridge import Db, ended, until
from test_holdconf import CALLER, _answered_call, _command, _hangup, _state

from callcenter.pbxsim import Simulator
from test_commands import commanded


def _leg_hung_up(db: Db, channel: str) -> bool:
    row = db.one("SELECT hangup_at IS NOT NULL FROM callcenter_call_leg"
        " WHERE server = %s AND channel = %s", db.server_id, channel)
    return bool(row and row[0])


def _third_channel(sim: Simulator) -> str:
    return next(c for c in sim.pbx.channels if c.startswith('PJSIP/1003-'))


def test_third_agent_stays_on_customer_call(suite: Any,
        tmp_path: Path) -> None:
    """The third agent's leg is on the customer's call, whose caller stays
    the customer; the call is open until the third agent leaves too"""
    async def scenario() -> None:
        async with commanded(suite, tmp_path) as (db, sim):
            agent1, agent3 = db.agent('agent1'), db.agent('agent3')
            call = await _answered_call(db, sim, 'agent1')
            rpc = Rpc(suite, 'agent1', 'agent1-demo')
            await _command(db, rpc, 'conference', [agent1], agent3)
            await until(lambda: _state(db, agent3) == 'on_call')
            row = db.call(call.linkedid)
            await until(lambda: db.one("SELECT count(*) FROM "
                "callcenter_call_leg WHERE call = %s AND agent = %s",
                row['id'], agent3)[0] == 1)
            third = _third_channel(sim)
            for channel in [c for c in sim.pbx.channels if c != third]:
                sim.call_of(channel).request(  # type: ignore[union-attr]
                    _hangup(channel))
                await until(lambda: _leg_hung_up(db, channel))
            row = db.call(call.linkedid)
            assert row['state'] == 'open'
            assert (row['caller'], row['direction']) == (CALLER, 'inbound')
            sim.call_of(third).request(  # type: ignore[union-attr]
                _hangup(third))
            await call.finished.wait()
            row = await ended(db, call.linkedid)
            assert row['disposition'] == 'answered'
            assert db.one("SELECT count(*) FROM callcenter_call WHERE"
                " server = %s", db.server_id)[0] == 1
            assert db.one("SELECT count(*) FROM callcenter_call_leg WHERE"
                " call = %s AND hangup_at IS NOT NULL", row['id'])[0] == 3
    run(scenario(), 90)
