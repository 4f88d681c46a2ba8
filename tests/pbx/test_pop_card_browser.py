"""The customer card filled from the pop message (CTI-03): the name shows
at once, the sub-lists fill in after, and a second pop while the first
card is still open shows the new customer in a tab of its own."""
from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from test_screen_pop_browser import Telephony, agent1_page  # noqa: F401

pytestmark = pytest.mark.browser
# The customer tab of ``party``: its index among the tabs, whether the name
# is shown in an input and the numbers of its contact mechanisms list.
CARD = """([party, name]) => {
    const tabs = [...Sao.Tab.tabs];
    const index = tabs.findIndex(t => t.screen
        && t.screen.model_name === 'party.party'
        && t.screen.current_record
        && t.screen.current_record.id === party);
    if (index < 0) {
        return null;
    }
    const tab = tabs[index];
    const inputs = [...tab.el[0].querySelectorAll('input')];
    return {
        index: index,
        name_shown: inputs.some(input => input.value === name),
        rows: tab.el[0].querySelectorAll('tbody tr').length,
        models: tabs.map(t => t.screen && t.screen.model_name),
    };
}"""
TWO_CUSTOMERS = ("SELECT value_compact, party, p.name"
    " FROM party_contact_mechanism m JOIN party_party p ON p.id = m.party"
    " WHERE m.type = 'mobile' AND m.active AND value_compact IN ("
    " SELECT value_compact FROM party_contact_mechanism WHERE active"
    " GROUP BY value_compact HAVING count(*) = 1)"
    " ORDER BY value_compact LIMIT 1 OFFSET %s")


def card(page: Any, party: int, name: str) -> dict[str, Any]:
    """Wait for the card of ``party`` with its name and listed numbers,
    once the pop has opened all its tabs."""
    page.wait_for_function(
        "window.CallCenter.lastPop && CallCenter.lastPop.opened",
        timeout=30000)
    return page.wait_for_function(f"""(() => {{
        const card = ({CARD})([{party}, {json.dumps(name)}]);
        return card && card.name_shown && card.rows ? card : null;
        }})()""", timeout=30000).json_value()


def test_second_pop_opens_new_customer_card(agent1_page: Any, suite: Any,
        tmp_path: Path) -> None:
    "A pop while a customer's card is open shows the new customer's card"
    page = agent1_page
    with Telephony(suite, tmp_path) as telephony:
        first = telephony.db.one(TWO_CUSTOMERS, 0)
        second = telephony.db.one(TWO_CUSTOMERS, 1)

        telephony.ring(first[0], 'agent1')
        shown = card(page, first[1], first[2])
        assert shown['models'][shown['index']:][:2] == [
            'party.party', 'callcenter.call']

        telephony.ring(second[0], 'agent1')
        shown = card(page, second[1], second[2])
        assert card(page, first[1], first[2])['index'] < shown['index']
        assert not page.get_by_text('Application Error').is_visible()
