"""Nothing of agent A's calls reaches agent B: the bus long-poll each user's
web client runs and the JSON-RPC reads of the call log, as each user, on
calls the simulator placed and the bridge logged; a team leader sees the
calls and state logs of their own teams only."""
from __future__ import annotations

import asyncio
import contextlib
import json
import time
import urllib.request
from pathlib import Path
from typing import Any, AsyncIterator, Callable

import pytest

from callcenter.pbxsim import SimConfig, Simulator
from pbxhelpers import Rpc, RpcError, run
from test_bridge import FAST, Db, connected, ended
from trytond.modules.callcenter_cti.bridge.bridge import Bridge

DIRECTORY = 'callcenter.agent_states'
OTHER_TEAM = ('agent9', '1009')


class BusPoll:
    "The bus long-poll of one user's web client (``POST /<db>/bus``)."

    def __init__(self, rpc: Rpc, channels: list[str]) -> None:
        self.url = rpc.url.replace('/rpc/', '/bus')
        self.auth, self.channels = rpc.auth, channels
        self.received: list[tuple[str, dict[str, Any]]] = []
        self.last: str | None = None

    def until(self, found: Callable[[str, dict[str, Any]], bool]) -> None:
        "Poll, keeping every message, until one satisfies ``found``."
        while True:
            request = urllib.request.Request(self.url, data=json.dumps({
                        'last_message': self.last,
                        'channels': self.channels}).encode(),
                headers={'Content-Type': 'application/json',
                    'Authorization': self.auth})
            with urllib.request.urlopen(request, timeout=120) as response:
                answer = json.loads(response.read())
            message = answer.get('message')
            if not message:
                continue
            self.last = message['message_id']
            self.received.append((answer['channel'], message))
            if found(answer['channel'], message):
                return


@contextlib.asynccontextmanager
async def other_team(suite: Any, tmp_path: Path,
        ) -> AsyncIterator[tuple[Db, Simulator, int]]:
    """The bridge on a simulator whose fourth phone belongs to agent9, an
    agent the admin put in a team leader1 does not lead."""
    db = Db(suite)
    agent9 = _agent9(db, Rpc(suite, 'admin', 'admin-demo'))
    config = SimConfig(port=0, tempo=0.01, recordings=tmp_path / 'rec',
        agents=('1001', '1002', '1003', OTHER_TEAM[1]))
    async with Simulator(config) as sim:
        db.point(sim.port)
        task = asyncio.create_task(
            Bridge(suite.config, suite.db_name, FAST).run())
        try:
            await connected(db)
            yield db, sim, agent9
        finally:
            task.cancel()
            await asyncio.gather(task, return_exceptions=True)


def _agent9(db: Db, admin: Rpc) -> int:
    "The agent of another team, made by the admin (once per database)."
    login, extension = OTHER_TEAM
    found = admin.call('model.callcenter.agent.search',
        [('user.login', '=', login)])
    if found:
        return found[0]
    group, = db.one("SELECT db_id FROM ir_model_data WHERE module = "
        "'callcenter_base' AND fs_id = 'group_agent'")
    company, = db.one("SELECT company FROM res_user WHERE login = 'agent1'")
    queue, = db.one("SELECT id FROM callcenter_queue WHERE name = 'support'"
        " AND server = %s", db.server_id)
    user, = admin.call('model.res.user.create', [{'login': login,
                'name': "Agent Nine", 'password': f'{login}-demo-pw',
                'groups': [('add', [group])],
                'companies': [('add', [company])], 'company': company}])
    admin.call('model.callcenter.team.create', [{'name': "Faults Team B",
                'company': company, 'members': [('add', [user])]}])
    agent, = admin.call('model.callcenter.agent.create', [{'user': user,
                'server': db.server_id, 'extension': extension,
                'interface': f'PJSIP/{extension}',
                'queues': [('add', [queue])], 'preferred_pop': 'customer'}])
    return agent


async def _answered(db: Db, sim: Simulator, caller: str, agent: str,
        ) -> tuple[str, int]:
    "An inbound call ``agent`` answered and the caller ended: its id."
    call = await sim.scenario('inbound', caller=caller, agent=agent,
        queue='support', record=False)
    await call.finished.wait()
    return call.linkedid, (await ended(db, call.linkedid))['id']


def _call_over(agent: int, since: float,
        ) -> Callable[[str, dict[str, Any]], bool]:
    """Whether the directory told that ``agent`` took a call and is free
    again (what follows the pop, so a leaked pop would have come first)."""
    states: set[str] = set()

    def found(channel: str, message: dict[str, Any]) -> bool:
        if (channel != DIRECTORY or message.get('agent') != agent
                or message.get('sent_at', 0) < since):
            return False
        states.add(message.get('state', ''))
        return bool(states & {'ringing', 'on_call'}) and message.get(
            'state') in ('wrap_up', 'ready')
    return found


def test_agent_b_never_gets_agent_a_calls(suite: Any, tmp_path: Path,
        ) -> None:
    """Agent B's bus (even asking for A's channel) and call log never show
    A's caller; A gets the pop and reads the call."""
    async def scenario() -> None:
        async with other_team(suite, tmp_path) as (db, sim, _agent9):
            number, _party = db.customer()
            a = Rpc(suite, 'agent1', 'agent1-demo')
            b = Rpc(suite, 'agent2', 'agent2-demo')
            agent_a = db.agent('agent1')
            user_a, user_b = (db.one("SELECT id FROM res_user WHERE login"
                    " = %s", login)[0] for login in ('agent1', 'agent2'))
            bus_a = BusPoll(a, [DIRECTORY])
            bus_b = BusPoll(b, [DIRECTORY, f'user:{user_a}'])
            started = time.time()
            popped = asyncio.create_task(asyncio.to_thread(bus_a.until,
                lambda channel, m: number in json.dumps(m)))
            wrapped = asyncio.create_task(asyncio.to_thread(bus_b.until,
                _call_over(agent_a, started)))
            linkedid, call = await _answered(db, sim, number, 'agent1')
            await popped
            await wrapped
            seen_by_b = json.dumps(bus_b.received, ensure_ascii=False)
            assert number not in seen_by_b
            assert {c for c, _m in bus_b.received} <= {
                DIRECTORY, f'user:{user_b}'}
            assert a.call('model.callcenter.call.search',
                [('linkedid', '=', linkedid)]) == [call]
            assert b.call('model.callcenter.call.search',
                [('linkedid', '=', linkedid)]) == []
            with pytest.raises(RpcError):
                b.call('model.callcenter.call.read', [call], ['caller'])
    run(scenario(), timeout=120)


def test_team_leader_sees_own_teams_only(suite: Any, tmp_path: Path) -> None:
    """leader1 reads the calls and state log of their team's agent, not
    those of an agent in another team."""
    async def scenario() -> None:
        async with other_team(suite, tmp_path) as (db, sim, agent9):
            own, own_id = await _answered(db, sim, '+8613900000001',
                'agent1')
            other, other_id = await _answered(db, sim, '+8613900000009',
                OTHER_TEAM[1])
            leader = Rpc(suite, 'leader1', 'leader1-demo')
            found = leader.call('model.callcenter.call.search',
                [('linkedid', 'in', [own, other])])
            assert found == [own_id]
            with pytest.raises(RpcError):
                leader.call('model.callcenter.call.read', [other_id],
                    ['caller'])
            assert leader.call('model.callcenter.agent.state.search',
                [('agent', '=', agent9)]) == []
            assert leader.call('model.callcenter.agent.state.search',
                [('agent', '=', db.agent('agent1'))])
    run(scenario(), timeout=120)
