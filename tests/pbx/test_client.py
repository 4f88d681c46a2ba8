"""The AMI client against the simulator over real TCP on 127.0.0.1."""
from __future__ import annotations

import asyncio
import socket

import pytest

from callcenter.pbxsim import SimConfig, Simulator
from trytond.modules.callcenter_cti.bridge.client import (
    ActionError, AmiClient, ClientConfig, ConnectionLost, LinkState,
    LinkStatus, NotConnected)

from pbxhelpers import linked, run


class States:
    """Link states as reported, with a way to wait for one."""

    def __init__(self) -> None:
        self.seen: list[LinkStatus] = []
        self._changed = asyncio.Event()

    def __call__(self, status: LinkStatus) -> None:
        self.seen.append(status)
        self._changed.set()

    async def wait(self, state: LinkState, count: int = 1) -> LinkStatus:
        while True:
            found = [s for s in self.seen if s.state is state]
            if len(found) >= count:
                return found[count - 1]
            self._changed.clear()
            await self._changed.wait()


def test_login_ok(sim_config: SimConfig) -> None:
    """A good secret logs in and the link reports connected."""
    async def scenario() -> None:
        async with Simulator(sim_config) as sim:
            states = States()
            async with AmiClient(ClientConfig(port=sim.port, username='cti',
                    secret='cti-secret'), on_state=states) as client:
                await states.wait(LinkState.CONNECTED)
                assert client.version == '11.0.0'
                pong = await client.action('Ping')
                assert pong.get('Ping') == 'Pong'
            assert states.seen[-1].state is LinkState.CLOSED
            login = await sim.wait_action('Login')
            assert login['events'] == 'on'
    run(scenario())


def test_wrong_secret_reports_auth_failed(sim_config: SimConfig) -> None:
    """A wrong secret gives auth_failed with a message, then retries."""
    async def scenario() -> None:
        async with Simulator(sim_config) as sim:
            states = States()
            client = AmiClient(ClientConfig(port=sim.port, username='cti',
                secret='wrong', backoff_initial=0.01, backoff_max=0.02),
                on_state=states)
            async with client:
                failed = await states.wait(LinkState.AUTH_FAILED, 2)
                assert not client.connected
            assert "login as 'cti'" in failed.message
            assert 'Authentication failed' in failed.message
            assert 'check the username and secret' in failed.message
            assert LinkState.CONNECTED not in {s.state for s in states.seen}
    run(scenario())


def _free_port() -> int:
    with socket.socket() as probe:
        probe.bind(('127.0.0.1', 0))
        return int(probe.getsockname()[1])


def test_unreachable_port_backs_off() -> None:
    """No listener: unreachable, with growing, capped, jittered delays."""
    async def scenario() -> None:
        states = States()
        config = ClientConfig(port=_free_port(), username='cti',
            secret='x', backoff_initial=0.01, backoff_max=0.08,
            backoff_jitter=0.5)
        loop = asyncio.get_running_loop()
        started = loop.time()
        async with AmiClient(config, on_state=states):
            await states.wait(LinkState.UNREACHABLE, 8)
        elapsed = loop.time() - started
        failures = [s for s in states.seen
            if s.state is LinkState.UNREACHABLE]
        delays = [s.retry_in or 0 for s in failures]
        assert 'cannot reach the AMI port' in failures[0].message
        assert [s.attempt for s in failures[:8]] == list(range(1, 9))
        ceilings = [min(0.08, 0.01 * 2 ** n) for n in range(len(delays))]
        assert all(c / 2 <= d <= c for d, c in zip(delays, ceilings))
        assert max(delays) <= 0.08
        assert elapsed >= sum(delays[:7])   # it really waited: no flood
    run(scenario())


def test_concurrent_actions_are_correlated(sim_config: SimConfig) -> None:
    """Many actions in flight each get their own answer back."""
    async def scenario() -> None:
        async with linked(sim_config) as (sim, client, _events):
            replies = await asyncio.gather(*(
                client.action('QueuePause', Interface=interface,
                    Paused=paused, check=False)
                for interface, paused in [('PJSIP/1001', 'true'),
                    ('PJSIP/9999', 'true'), ('PJSIP/1002', 'false')] * 5))
            messages = [r.get('Message') for r in replies]
            assert messages == ['Interface paused successfully',
                'Interface not found',
                'Interface unpaused successfully'] * 5
            with pytest.raises(ActionError, match='Interface not found'):
                await client.action('QueuePause', Interface='PJSIP/9',
                    Paused='true')
    run(scenario())


def test_eventlist_is_collected(sim_config: SimConfig) -> None:
    """QueueStatus's EventList comes back whole, not as loose events."""
    async def scenario() -> None:
        async with linked(sim_config) as (sim, client, events):
            reply = await client.action('QueueStatus')
            names = [e.name for e in reply.events]
            assert names == ['QueueParams'] + ['QueueMember'] * 3
            assert 'QueueStatusComplete' not in events.names()
            assert {e.get('Location') for e in reply.events[1:]} == {
                'PJSIP/1001', 'PJSIP/1002', 'PJSIP/1003'}
    run(scenario())


def test_event_callbacks_by_glob(sim_config: SimConfig) -> None:
    """Glob patterns pick events; a coroutine callback runs too."""
    async def scenario() -> None:
        async with linked(sim_config) as (sim, client, events):
            bridges: list[str] = []
            done = asyncio.Event()

            async def on_hangup(event: object) -> None:
                done.set()
            client.on_event('Bridge*', lambda e: bridges.append(e.name))
            client.on_event('hangup', on_hangup)
            call = await sim.scenario('inbound', caller='+8613800138000',
                agent='agent1')
            await call.finished.wait()
            await done.wait()
            assert bridges == ['BridgeCreate', 'BridgeEnter', 'BridgeEnter',
                'BridgeLeave', 'BridgeLeave', 'BridgeDestroy']
    run(scenario())


def test_drop_mid_call_reconnects_and_resyncs(sim_config: SimConfig) -> None:
    """After a drop the client logs in again and the on_connected resync
    sees the call still up in CoreShowChannels."""
    async def scenario() -> None:
        snapshots: list[set[str]] = []
        resynced = asyncio.Event()

        async def resync(client: AmiClient) -> None:
            reply = await client.action('CoreShowChannels')
            snapshots.append({e['Uniqueid'] for e in reply.events})
            resynced.set()
        async with linked(sim_config) as (sim, client, events):
            client.on_connected = resync
            call = await sim.scenario('inbound', caller='+8613800138000',
                agent='1001', talk=None)
            await call.answered.wait()
            await resync(client)
            resynced.clear()
            assert call.uniqueid in snapshots[-1]
            assert sim.drop_connections() == 1
            await resynced.wait()
            assert client.connected
            assert call.uniqueid in snapshots[-1]
            assert len([s for s in sim.received
                if dict(s).get('Action') == 'Login']) == 2
            sim.hangup(call, 'agent')
            complete = await events.wait('AgentComplete')
            assert complete['Reason'] == 'agent'
            assert complete['Uniqueid'] == call.uniqueid
    run(scenario())


def test_originate_is_never_replayed(sim_config: SimConfig) -> None:
    """An Originate cut off by a drop fails; it is not sent again."""
    async def scenario() -> None:
        async with Simulator(sim_config) as sim:
            async with AmiClient(ClientConfig(port=sim.port, username='cti',
                    secret='cti-secret', backoff_initial=0.01)) as client:
                await client.wait_connected(5)
                # A synchronous Originate answers only once the agent
                # picks up: drop the link while it waits.
                pending = asyncio.create_task(client.action('Originate',
                    Channel='PJSIP/1001', Context='outbound',
                    Exten='+8613800138000', Priority=1, Async='false'))
                await sim.wait_action('Originate')
                sim.drop_connections()
                with pytest.raises(ConnectionLost):
                    await pending
                await client.wait_connected(5)
                await client.action('Ping')     # idempotent: fine
                originates = [s for s in sim.received
                    if dict(s).get('Action') == 'Originate']
                assert len(originates) == 1
                await client.action('Ping')
                assert len([s for s in sim.received
                    if dict(s).get('Action') == 'Originate']) == 1
    run(scenario())


def test_not_connected_refuses_originate() -> None:
    """While down, Originate fails at once instead of queueing."""
    async def scenario() -> None:
        client = AmiClient(ClientConfig(port=_free_port()))
        with pytest.raises(NotConnected, match='Originate not sent'):
            await client.action('Originate', Channel='PJSIP/1001')
    run(scenario())
