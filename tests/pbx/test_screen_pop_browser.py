"""Screen pop in the web client: the simulator rings an agent's phone, the
bridge logs the call, the bus tells the agent's page, a tab opens."""
from __future__ import annotations

import asyncio
import threading
from pathlib import Path
from typing import Any

import pytest

from callcenter.pbxsim import SimConfig, Simulator
from trytond.modules.callcenter_cti.bridge.bridge import Bridge, BridgeConfig

from test_bridge import Db

pytestmark = pytest.mark.browser
# The customer's tab, wherever the call panel opened after it.
CURRENT_RECORD = """() => {
    const tab = [...Sao.Tab.tabs].find(
        t => t.screen && t.screen.model_name === 'party.party');
    const record = tab && tab.screen.current_record;
    if (!record) {
        return null;
    }
    const mechanisms = record.field_get_client('contact_mechanisms') || [];
    return {
        id: record.id,
        numbers: mechanisms.map(m => m.field_get_client('value')),
    };
}"""


class Telephony:
    "The simulator and the bridge, on an event loop of their own."

    def __init__(self, suite: Any, recordings: Path) -> None:
        self.suite, self.recordings = suite, recordings
        self.loop = asyncio.new_event_loop()
        self.ready = threading.Event()
        self.thread = threading.Thread(target=self.loop.run_forever)

    def __enter__(self) -> Telephony:
        self.thread.start()
        self.call(self._start()).result(60)
        return self

    def __exit__(self, *exc: object) -> None:
        self.call(self._stop()).result(60)
        self.loop.call_soon_threadsafe(self.loop.stop)
        self.thread.join(10)

    def call(self, coroutine: Any) -> Any:
        return asyncio.run_coroutine_threadsafe(coroutine, self.loop)

    async def _start(self) -> None:
        self.sim = Simulator(SimConfig(port=0, tempo=0.05,
                recordings=self.recordings))
        await self.sim.__aenter__()
        self.db = Db(self.suite)
        self.db.point(self.sim.port)
        self.bridge = asyncio.create_task(Bridge(
                self.suite.config, self.suite.db_name,
                BridgeConfig(backoff_initial=0.01, backoff_max=0.2)).run())
        async with asyncio.timeout(30):
            while not self.db.one("SELECT link_state = 'connected' FROM "
                    "callcenter_pbx_server WHERE id = %s",
                    self.db.server_id)[0]:
                await asyncio.sleep(0.05)

    async def _stop(self) -> None:
        self.bridge.cancel()
        await asyncio.gather(self.bridge, return_exceptions=True)
        await self.sim.__aexit__(None, None, None)

    def ring(self, caller: str, agent: str) -> None:
        "An inbound call through the queue to ``agent``, kept up."
        self.call(self.sim.scenario('inbound', caller=caller, agent=agent,
                queue='support', talk=None)).result(30)


@pytest.fixture
def agent1_page(login: Any, page: Any) -> Any:
    login('agent1', 'agent1-demo')
    page.wait_for_function('window.CallCenter && window.CallCenter.channel')
    return page


def test_known_caller_pops_customer(agent1_page: Any, suite: Any,
        tmp_path: Path) -> None:
    "A call from a customer's number opens that customer's form"
    with Telephony(suite, tmp_path) as telephony:
        number, party = telephony.db.customer()
        telephony.ring(number, 'agent1')
        agent1_page.wait_for_function(
            f"({CURRENT_RECORD})()?.id === {party}", timeout=30000)
        assert not agent1_page.get_by_text('Application Error').is_visible()


def test_unknown_caller_pops_new_customer(agent1_page: Any, suite: Any,
        tmp_path: Path) -> None:
    "A call from an unknown number opens a new customer with that number"
    number = '+8613912345678'
    with Telephony(suite, tmp_path) as telephony:
        assert telephony.db.one("SELECT count(*) FROM party_contact_mechanism"
            " WHERE value_compact = %s", number)[0] == 0
        telephony.ring(number, 'agent1')
        record = agent1_page.wait_for_function(
            f"(() => {{ const r = ({CURRENT_RECORD})();"
            " return r && r.id < 0 ? r : null; })()", timeout=30000)
        numbers = record.json_value()['numbers']
        assert [n.replace(' ', '') for n in numbers] == [number]
