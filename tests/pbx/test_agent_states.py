"""Agent states through the bridge as a real Asterisk 22 reports them: a
paused member's device state while it rings or talks, and queue membership
changed while the bridge was not listening."""
from __future__ import annotations

from pathlib import Path
from typing import Any

from test_bridge import Db, bridged, ended, paused, until
from pbxhelpers import run


def _state(db: Db, agent: int) -> tuple[str, str | None]:
    return db.one("SELECT state, state_reason FROM callcenter_agent"
        " WHERE id = %s", agent)


def _log_after(db: Db, agent: int, after: int) -> list[str]:
    with db.suite.connect() as conn:
        return [r[0] for r in conn.execute("SELECT state FROM"
            " callcenter_agent_state WHERE agent = %s AND id > %s"
            " ORDER BY start, id", (agent, after)).fetchall()]


def test_paused_agent_talks_on_call(suite: Any, tmp_path: Path) -> None:
    """A paused agent who dials out is on call, then in wrap-up, then not
    ready again: QueueMemberStatus "in use" with Paused 1 is not "not
    ready" """
    async def scenario() -> None:
        async with bridged(suite, tmp_path) as (db, sim):
            agent = await paused(db, sim, 'agent2', 'Outbound')
            last = db.one("SELECT max(id) FROM callcenter_agent_state"
                " WHERE agent = %s", agent)[0]
            call = await sim.scenario('click_to_dial', agent='agent2',
                number='+8613900139000')
            await call.finished.wait()
            await ended(db, call.linkedid)
            # Every event before it is committed once the marker is.
            assert sim.pause('agent2', paused=True, reason='Marker')
            await until(lambda: _state(db, agent) == ('not_ready', 'Marker'))
            assert _log_after(db, agent, last) == [
                'on_call', 'wrap_up', 'not_ready', 'not_ready']
            sim.pause('agent2', paused=False)
    run(scenario(), 90)


def test_left_all_queues_while_bridge_down(suite: Any,
        tmp_path: Path) -> None:
    """An agent removed from every queue while nobody listened shows logged
    out after the bridge reconnects and resyncs"""
    async def scenario() -> None:
        async with bridged(suite, tmp_path) as (db, sim):
            agent = db.agent('agent3')
            db.execute("UPDATE callcenter_agent SET state = 'ready',"
                " state_since = NULL WHERE id = %s", agent)
            for queue in sim.pbx.queues.values():
                queue.members.pop('PJSIP/1003', None)
            sim.drop_connections()
            await until(lambda: _state(db, agent)[0] == 'logged_out')
    run(scenario(), 90)
