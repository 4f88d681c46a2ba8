"""The phone bar keeps the newest agent state when the bus delivers the
messages of one commit out of order (wrap-up and ready of one batch)."""
from __future__ import annotations

from typing import Any

import pytest

from test_phone_bar_browser import agent1_bar  # noqa: F401 (fixture)

pytestmark = pytest.mark.browser

#: ready, then the older wrap-up, as the bus may hand them over.
OUT_OF_ORDER = """() => {
    const agent = CallCenter.phoneBar.agent;
    const since = new Date().toISOString().slice(0, 19);
    const micros = Date.now() * 1000 + 1e9;
    for (const [state, n] of [['ready', 2], ['wrap_up', 1]]) {
        CallCenter.dispatch({
            type: 'callcenter.agent_state', agent: agent.id,
            extension: agent.extension, state: state, reason: null,
            since: since, seq: [micros, n], sent_at: Date.now() / 1000,
            message_id: `order-${n}`});
    }
}"""


def test_older_state_after_newer_is_ignored(agent1_bar: Any) -> None:  # noqa: F811
    "Ready stays shown when the wrap-up published before it arrives last"
    page = agent1_bar
    page.evaluate(OUT_OF_ORDER)
    assert page.evaluate('window.ccStates') == ['ready', 'wrap_up']
    assert page.locator('#cc-phone-bar').get_attribute(
        'data-state') == 'ready'
