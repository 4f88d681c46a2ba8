"""The popped call in the web client: the customer, the call panel with its
recent calls and knowledge base search, and the new ticket."""
from __future__ import annotations

import datetime as dt
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from callcenter import tryton
from test_screen_pop_browser import Telephony, agent1_page  # noqa: F401

pytestmark = pytest.mark.browser
TICKET_TYPE = "咨询 Enquiry"
TAB_RECORD = """(model) => {
    for (const tab of Sao.Tab.tabs) {
        const screen = tab.screen;
        if (screen && screen.model_name === model && screen.current_record) {
            return screen.current_record.id;
        }
    }
    return null;
}"""


def past_call(pool: Any, number: str, party: int) -> int:
    "An ended call of the customer answered by agent1 yesterday."
    Call = pool.get('callcenter.call')
    Agent = pool.get('callcenter.agent')
    Queue = pool.get('callcenter.queue')
    agent, = Agent.search([('user.login', '=', 'agent1')])
    queue, = Queue.search([('name', '=', 'support')])
    yesterday = dt.datetime.now() - dt.timedelta(days=1)
    call, = Call.create([{
                'server': agent.server.id, 'linkedid': 'past.1',
                'direction': 'inbound', 'caller': number, 'party': party,
                'queue': queue.id, 'agent': agent.id, 'state': 'ended',
                'start_at': yesterday, 'answer_at': yesterday,
                'hangup_at': yesterday + dt.timedelta(minutes=3),
                'disposition': 'answered', 'notes': "asked about returns"}])
    return call.id


def prefer_ticket_type(pool: Any, name: str | None) -> None:
    "Give agent1 a preferred ticket type (created when missing), or none."
    User = pool.get('res.user')
    Type = pool.get('callcenter.ticket.type')
    Company = pool.get('company.company')
    user, = User.search([('login', '=', 'agent1')])
    type_ = None
    if name:
        company, = Company.search([], limit=1)
        types = Type.search([('name', '=', name)])
        type_, = types or Type.create([{'name': name, 'company': company.id}])
    User.write([user], {'callcenter_ticket_type': type_})


def test_call_panel_recent_calls_and_kb(agent1_page: Any, suite: Any,
        tmp_path: Path) -> None:
    "A customer's call opens the customer and the panel; KB search finds 退货"
    page = agent1_page
    with Telephony(suite, tmp_path) as telephony:
        number, party = telephony.db.customer()
        past = tryton.call(suite.config, suite.db_name, past_call, number,
            party)
        telephony.ring(number, 'agent1')
        page.wait_for_function(
            f"({TAB_RECORD})('party.party') === {party}", timeout=30000)
        call = page.wait_for_function(
            f"({TAB_RECORD})('callcenter.call')", timeout=30000).json_value()
        assert call != past
        panel = page.locator('#tabs .tab-pane.active')
        expect(panel.locator('input[name=queue]')).to_have_value('support')
        recent = panel.locator('tbody tr', has_text=number)
        expect(recent).to_have_count(1)

        search = panel.locator('input[name=kb_query]')
        search.fill('退货')
        search.press('Tab')
        panel.locator('tbody tr', has_text='退货政策').first.wait_for()
        assert not page.get_by_text('Application Error').is_visible()

        # Searching is not editing: the panel closes without "save?".
        page.locator('#tablist li.active button.close').click()
        page.wait_for_function(
            f"({TAB_RECORD})('callcenter.call') === null", timeout=10000)
        expect(page.locator('.modal-dialog:visible')).to_have_count(0)


def test_call_panel_asks_to_save_typed_notes(agent1_page: Any, suite: Any,
        tmp_path: Path) -> None:
    "Notes typed in the call panel are not lost on close: sao asks to save"
    page = agent1_page
    with Telephony(suite, tmp_path) as telephony:
        number, party = telephony.db.customer()
        telephony.ring(number, 'agent1')
        call = page.wait_for_function(
            f"({TAB_RECORD})('callcenter.call')", timeout=30000).json_value()
        panel = page.locator('#tabs .tab-pane.active')
        panel.locator('textarea[name=notes]').fill("wants a refund")
        page.locator('#tablist li.active button.close').click()
        question = page.locator('.modal-dialog:visible')
        expect(question).to_have_count(1)
        question.get_by_role('button', name='Yes').click()
        expect(question).to_have_count(0)
        assert telephony.db.one("SELECT notes FROM callcenter_call "
            "WHERE id = %s", call) == ("wants a refund",)


def test_ticket_pops_with_preferred_type(agent1_page: Any, suite: Any,
        tmp_path: Path) -> None:
    "With a preferred ticket type, a new ticket of that type opens last"
    page = agent1_page
    tryton.call(suite.config, suite.db_name, prefer_ticket_type, TICKET_TYPE)
    try:
        with Telephony(suite, tmp_path) as telephony:
            number, party = telephony.db.customer()
            party_name = telephony.db.one(
                "SELECT name FROM party_party WHERE id = %s", party)[0]
            telephony.ring(number, 'agent1')
            page.wait_for_function(
                "(() => { const t = Sao.Tab.tabs.get_current();"
                " return t && t.screen"
                " && t.screen.model_name === 'callcenter.ticket'; })()",
                timeout=30000)
            ticket = page.locator('#tabs .tab-pane.active')
            expect(ticket.locator('input[name=party]')).to_have_value(
                party_name)
            expect(ticket.locator('input[name=type]')).to_have_value(
                TICKET_TYPE)
            assert page.evaluate(
                f"({TAB_RECORD})('party.party')") == party
    finally:
        tryton.call(suite.config, suite.db_name, prefer_ticket_type, None)
