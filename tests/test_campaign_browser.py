"""The campaign agent's path in headless Chromium: agent1 joins a running
predictive campaign, the dialer places a call the simulator answers live,
the pop opens the lead and the campaign's questionnaire; the agent answers
it and sets a callback; leader1 then reads the campaign's results."""
from __future__ import annotations

import asyncio
import datetime as dt
import sys
import threading
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

sys.path.insert(0, str(Path(__file__).parent / 'pbx'))

from callcenter.pbxsim import SimConfig, Simulator  # noqa: E402
from callcenter.pbxsim.outbound_model import OutboundModel  # noqa: E402
from trytond.modules.callcenter_campaign.dialer.engine import (  # noqa: E402
    Dialer, DialerConfig)
from trytond.modules.callcenter_campaign.dialer.store import (  # noqa: E402
    TrytonStore)
from trytond.modules.callcenter_cti.bridge.bridge import (  # noqa: E402
    Bridge, BridgeConfig, Tryton)
from trytond.modules.callcenter_cti.bridge.client import (  # noqa: E402
    ClientConfig)

from test_bridge import Db  # noqa: E402
from webclient import active_tab, log_in, open_menu  # noqa: E402

pytestmark = pytest.mark.browser

CAMPAIGN = "Browser test: fibre upgrade calls"
LEAD = "Browser test lead"
NUMBER = '+442071099001'
QUESTIONNAIRE = "客户满意度回访 Satisfaction follow-up"


class Demo(Db):
    "The demo PBX record aimed at the simulator, its calls kept (QA's)."

    def point(self, port: int, secret: str = 'cti-secret') -> None:
        self.execute("UPDATE callcenter_agent SET state_since = NULL"
            " WHERE server = %s", self.server_id)
        self.execute("UPDATE callcenter_pbx_server SET port = %s, "
            "secret = %s, host = '127.0.0.1', link_state = 'unknown', "
            "link_message = NULL, active = true WHERE id = %s",
            port, secret, self.server_id)


def _prepare(pool: Any, server_id: int) -> int:
    """What a manager set up before: a task with one lead and a running
    predictive campaign with the demo's satisfaction questionnaire; the
    demo's own campaign paused so that only this one dials."""
    company = pool.get('company.company').search([], limit=1)[0]
    Campaign = pool.get('callcenter.campaign')
    Campaign.pause(Campaign.search([('state', '=', 'running')]))
    queue = pool.get('callcenter.queue').get_or_create(
        server_id, ['outbound'])['outbound']
    questionnaire, = pool.get('callcenter.questionnaire').search([
            ('name', '=', QUESTIONNAIRE)])
    task, = pool.get('callcenter.campaign.task').create([{
                'name': CAMPAIGN, 'state': 'open', 'company': company.id}])
    pool.get('callcenter.campaign.lead').create([{'task': task.id,
                'company': company.id, 'name': LEAD,
                'numbers': [('create', [{'number': NUMBER}])]}])
    campaign, = Campaign.create([{'name': CAMPAIGN, 'task': task.id,
                'company': company.id, 'dial_mode': 'predictive',
                'queue': queue.id, 'skip_holidays': False,
                'questionnaire': questionnaire.id,
                'script': "Offer the fibre upgrade.",
                'morning_start': dt.time(0, 0),
                'morning_end': dt.time(12, 0),
                'afternoon_start': dt.time(12, 0),
                'afternoon_end': dt.time(23, 59, 59)}])
    Campaign.start([campaign])
    return campaign.id


def _stop(pool: Any, campaign_id: int) -> None:
    Campaign = pool.get('callcenter.campaign')
    Campaign.stop([Campaign(campaign_id)])


class Outbound:
    "The simulator, the bridge and the dialer, on an event loop of theirs."

    def __init__(self, suite: Any, recordings: Path) -> None:
        self.suite, self.recordings = suite, recordings
        self.loop = asyncio.new_event_loop()
        self.thread = threading.Thread(target=self.loop.run_forever)

    def __enter__(self) -> Outbound:
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
                recordings=self.recordings, queues=('support', 'outbound'),
                outbound=OutboundModel(prefixes=(('+4420710', 'live'),),
                    answer_delay=(1.0, 2.0), talk_mean=36000.0, seed=7)))
        await self.sim.__aenter__()
        self.db = Demo(self.suite)
        self.db.point(self.sim.port)
        self.tryton = Tryton(self.suite.config, self.suite.db_name)
        self.campaign = await asyncio.to_thread(
            self.tryton.call, _prepare, self.db.server_id)
        self.bridge = asyncio.create_task(Bridge(
                self.suite.config, self.suite.db_name,
                BridgeConfig(backoff_initial=0.01, backoff_max=0.2)).run())
        async with asyncio.timeout(30):
            while not self.db.one("SELECT link_state = 'connected' FROM "
                    "callcenter_pbx_server WHERE id = %s",
                    self.db.server_id)[0]:
                await asyncio.sleep(0.05)

    def dial(self) -> None:
        "Start the dialer (once the agent's page listens for its pop)."
        async def start() -> None:
            self.dialer = asyncio.create_task(Dialer(
                    TrytonStore(self.tryton), DialerConfig(ClientConfig(
                            port=self.sim.port, username='cti',
                            secret='cti-secret'), tick=0.05,
                        refresh=0.2)).run())
        self.call(start()).result(10)

    async def _stop(self) -> None:
        await asyncio.to_thread(self.tryton.call, _stop, self.campaign)
        tasks = [self.bridge] + ([self.dialer]
            if hasattr(self, 'dialer') else [])
        for task in tasks:
            task.cancel()
        await asyncio.gather(*tasks, return_exceptions=True)
        await self.sim.__aexit__(None, None, None)


def answer(page: Any, tab: Any, question: str) -> Any:
    "Open the answer to ``question`` in its dialog."
    tab.locator('tbody tr', has_text=question).first.dblclick()
    dialog = page.locator('.modal-dialog:visible').last
    dialog.get_by_text('Question:').wait_for()
    return dialog


def choose(page: Any, entry: Any, text: str) -> None:
    "A many2one set from typed text, through the search dialog if one opens."
    dialogs = page.locator('.modal-dialog:visible')
    before = dialogs.count()
    entry.fill(text)
    entry.press('Tab')
    page.wait_for_function(
        "([n, entry]) => entry.value || [...document.querySelectorAll("
        "'.modal-dialog')].filter(d => d.offsetParent).length > n",
        arg=[before, entry.element_handle()])
    if dialogs.count() > before:
        search = dialogs.last
        search.locator('tbody tr', has_text=text).first.click()
        search.get_by_role('button', name='OK', exact=True).click()
        expect(dialogs).to_have_count(before)
    expect(entry).not_to_have_value('')


def test_agent_campaign_call(suite: Any, page: Any, tmp_path: Path) -> None:
    "Join, a predictive call pops lead and questionnaire, answer, callback"
    with Outbound(suite, tmp_path) as outbound:
        log_in(page, suite.url, suite.db_name, 'agent1', 'agent1-demo')
        page.wait_for_function('window.CallCenter && window.CallCenter.channel')
        open_menu(page, 'Call Center', 'Outbound', 'Campaigns')
        tab = active_tab(page)
        tab.locator('tbody tr', has_text=CAMPAIGN).first.dblclick()
        tab.get_by_role('button', name='Join').click()
        tab.get_by_role('button', name='Leave').wait_for()
        outbound.dial()

        # The dialer calls the lead; the pop opens it and the questionnaire.
        # Tab titles are cut short.
        questionnaire = page.locator('a:visible',
            has_text=QUESTIONNAIRE[:7]).first
        questionnaire.wait_for(timeout=40000)
        # The call panel opens last and takes the focus: wait for it.
        page.locator('a:visible', has_text=NUMBER[:6]).first.wait_for()
        expect(page.locator('a:visible',
                has_text=CAMPAIGN[:18])).not_to_have_count(0)
        questionnaire.click()
        response = active_tab(page)
        response.locator('tbody tr').first.wait_for()

        dialog = answer(page, response, "您对上次服务的整体评价？")
        dialog.locator('select[name=rating]').select_option('5')
        dialog.get_by_role('button', name='Apply changes').click()
        dialog.wait_for(state='hidden')
        dialog = answer(page, response, "问题是否一次解决？")
        choose(page, dialog.locator('input[name=option]').first, "是，一次解决")
        dialog.get_by_role('button', name='Apply changes').click()
        dialog.wait_for(state='hidden')
        response.get_by_role('button', name='Submit').click()
        expect(response.locator('[name=state]').first).to_contain_text(
            'Submitted')

        page.locator('a:visible',
            has_text=CAMPAIGN[:18]).first.click()
        lead_tab = active_tab(page)
        expect(lead_tab.locator('input[name=name]').first).to_have_value(LEAD)
        lead_tab.get_by_role('button', name='Set Disposition').click()
        wizard = page.locator('.modal-dialog:visible',
            has_text='Disposition')
        wizard.locator('input[name=disposition]').first.wait_for()
        choose(page, wizard.locator('input[name=disposition]').first,
            'Call back')
        callback = wizard.locator('input[name=callback_at]').first
        callback.wait_for()
        callback.fill((dt.date.today() + dt.timedelta(days=1)).strftime(
                '%m/%d/%Y') + ' 10:30:00')
        callback.press('Tab')
        wizard.get_by_role('button', name='Set').click()
        wizard.wait_for(state='hidden')

        with suite.connect() as conn:
            state, callback_at, code = conn.execute(
                "SELECT r.state, l.callback_at, d.code"
                " FROM callcenter_questionnaire_response r"
                " JOIN callcenter_campaign_lead l ON l.id = r.lead"
                " JOIN callcenter_campaign_disposition d"
                " ON d.id = l.disposition WHERE l.name = %s",
                (LEAD,)).fetchone()
        assert state == 'submitted' and code == 'callback'
        assert callback_at.date() == dt.date.today() + dt.timedelta(days=1)

    page.context.clear_cookies()
    page.evaluate("localStorage.clear(); sessionStorage.clear()")
    page.goto('about:blank')
    log_in(page, suite.url, suite.db_name, 'leader1', 'leader1-demo')
    open_menu(page, 'Call Center', 'Outbound', 'Results', 'Campaign Results')
    results = active_tab(page)
    row = results.locator('tbody tr', has_text=CAMPAIGN).first
    row.wait_for()
    cells = row.locator('td').all_inner_texts()
    assert '1' in cells
    results.locator('button#switch_').click()
    results.locator('.graph svg, .graph canvas').first.wait_for()
