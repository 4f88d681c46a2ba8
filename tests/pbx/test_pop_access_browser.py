"""A pop at agent2 on a customer agent1 served: the call panel opens with
the recent calls agent2 may read, with no access error."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import expect

from callcenter import tryton
from test_popped_call_browser import TAB_RECORD, past_call
from test_screen_pop_browser import Telephony

pytestmark = pytest.mark.browser


@pytest.fixture
def agent2_page(login: Any, page: Any) -> Any:
    login('agent2', 'agent2-demo')
    page.wait_for_function('window.CallCenter && window.CallCenter.channel')
    return page


def test_pop_on_customer_served_by_another_agent(agent2_page: Any,
        suite: Any, tmp_path: Path) -> None:
    "agent2's pop on agent1's customer shows the panel without an error"
    page = agent2_page
    with Telephony(suite, tmp_path) as telephony:
        number, party = telephony.db.customer()
        tryton.call(suite.config, suite.db_name, past_call, number, party)
        telephony.ring(number, 'agent2')
        page.wait_for_function(
            f"({TAB_RECORD})('callcenter.call')", timeout=30000)
        panel = page.locator('#tabs .tab-pane.active')
        expect(panel.locator('input[name=queue]')).to_have_value('support')
        expect(panel.locator('tbody tr', has_text=number)).to_have_count(0)
        expect(page.locator('.modal-dialog:visible')).to_have_count(0)
        assert not page.get_by_text('Application Error').is_visible()
