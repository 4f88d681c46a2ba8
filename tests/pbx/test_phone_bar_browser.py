"""The phone bar in the web client, against the simulator through the bridge:
click-to-dial from a customer's number, not ready / ready from the bar."""
from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from trytond.modules.callcenter_cti.bridge.client import (
    AmiClient, ClientConfig)

from test_screen_pop_browser import Telephony

pytestmark = pytest.mark.browser
#: Keeps every state the bar receives over the bus, in order.
RECORD_STATES = """() => {
    window.ccStates = [];
    CallCenter.on('callcenter.agent_state', m => {
        if (m.agent === CallCenter.phoneBar.agent.id) {
            window.ccStates.push(m.state);
        }
    });
}"""


@pytest.fixture
def agent1_bar(login: Any, page: Any, suite: Any) -> Any:
    with suite.connect() as conn:
        conn.execute("DELETE FROM callcenter_pbx_command")
        # Earlier simulated calls ran on a fast clock, ahead of the wall
        # clock that stamps the changes of this test.
        conn.execute("UPDATE callcenter_agent SET state_since = NULL")
    login('agent1', 'agent1-demo')
    page.locator('#cc-phone-bar').wait_for(state='visible')
    page.evaluate(RECORD_STATES)
    return page


async def member_status(telephony: Telephony, interface: str,
        ) -> dict[str, str]:
    "The member's line of QueueStatus, asked over AMI as any tool would."
    client = AmiClient(ClientConfig(port=telephony.sim.port, username='cti',
            secret='cti-secret'))
    async with client:
        await client.wait_connected(5)
        answer = await client.action('QueueStatus', Queue='support')
    member, = [m for m in answer.events if m.name == 'QueueMember'
        and m.get('Location') == interface]
    return {k: member.get(k) or '' for k in ('Paused', 'PausedReason')}


def test_click_to_dial_customer(agent1_bar: Any, suite: Any,
        tmp_path: Path) -> None:
    "Clicking a customer's number dials it from the agent's phone"
    page = agent1_bar
    with Telephony(suite, tmp_path) as telephony:
        number, party = telephony.db.customer()
        page.evaluate("party => Sao.Tab.create({model: 'party.party', "
            "res_id: party, mode: ['form']})", party)
        numbers = page.locator('.form-one2many', has=page.locator(
                'label', has_text='Contact Mechanisms'))
        numbers.locator('tr.more-row button, a[href^="tel:"]').first.wait_for(
            state='attached')
        more = numbers.locator('tr.more-row button')
        if more.count():    # below the fold: sao shows the rows on scroll
            more.evaluate('button => button.scrollIntoView()')
        numbers.locator('a[href^="tel:"]').first.click()
        originate = telephony.call(telephony.sim.wait_action('Originate',
                lambda h: h.get('exten') == number)).result(30)
        assert originate['channel'] == 'PJSIP/1001'
        assert originate['context'] == 'outbound'
        page.wait_for_function(
            "window.ccStates.includes('on_call')", timeout=30000)
        assert telephony.db.one("SELECT count(*) FROM callcenter_call WHERE"
            " server = %s AND callee = %s AND agent = %s AND direction ="
            " 'outbound'", telephony.db.server_id, number,
            telephony.db.agent('agent1'))[0] == 1
        assert 'Dialling' in page.locator('#cc-phone-bar .cc-alert').inner_text()


def test_not_ready_then_ready(agent1_bar: Any, suite: Any,
        tmp_path: Path) -> None:
    """Not ready with a reason pauses the queue member; ready unpauses it;
    a refused command shows in the bar"""
    page = agent1_bar
    bar = page.locator('#cc-phone-bar')
    with Telephony(suite, tmp_path) as telephony:
        bar.locator('.cc-reason').select_option('Lunch')
        bar.locator('[data-action=not-ready]').click()
        page.wait_for_function("document.querySelector('#cc-phone-bar')"
            ".dataset.state === 'not_ready'", timeout=30000)
        assert 'Lunch' in bar.locator('.cc-state').inner_text()
        status = telephony.call(member_status(telephony, 'PJSIP/1001')
            ).result(30)
        assert status == {'Paused': '1', 'PausedReason': 'Lunch'}
        bar.locator('[data-action=ready]').click()
        page.wait_for_function("document.querySelector('#cc-phone-bar')"
            ".dataset.state === 'ready'", timeout=30000)
        status = telephony.call(member_status(telephony, 'PJSIP/1001')
            ).result(30)
        assert status['Paused'] == '0'
        states = page.evaluate('window.ccStates')
        assert states[-2:] == ['not_ready', 'ready']
        assert telephony.db.one("SELECT count(*) FROM callcenter_agent_state"
            " WHERE agent = %s AND state = 'not_ready' AND reason = 'Lunch'"
            " AND \"end\" IS NOT NULL", telephony.db.agent('agent1'))[0] >= 1
        bar.locator('[data-action=hangup]').click()
        alert = bar.locator('.cc-alert[data-kind=error]')
        alert.wait_for(timeout=30000)
        assert 'no call on the phone of PJSIP/1001' in alert.inner_text()


def test_directory_live_states(agent1_bar: Any, suite: Any,
        tmp_path: Path) -> None:
    "The transfer directory filters agents and follows their states live"
    page = agent1_bar
    with Telephony(suite, tmp_path) as telephony:
        page.locator('#cc-phone-bar [data-action=transfer]').click()
        directory = page.locator('#cc-directory')
        agent2 = directory.locator(
            f'tr[data-agent="{telephony.db.agent("agent2")}"]')
        agent2.wait_for()
        directory.locator('.cc-search').fill('1003')
        agent2.wait_for(state='detached')
        assert directory.locator('tbody tr').count() == 1
        directory.locator('.cc-search').fill('')
        agent2.wait_for()
        telephony.call(_pause(telephony, 'agent2', 'Training')).result(30)
        page.wait_for_function("document.querySelector('#cc-directory "
            f"tr[data-agent=\"{telephony.db.agent('agent2')}\"]')"
            "?.dataset.state === 'not_ready'", timeout=30000)
        assert 'Training' in agent2.locator('.cc-agent-state').inner_text()
        telephony.call(_pause(telephony, 'agent2', '')).result(30)


async def _pause(telephony: Telephony, agent: str, reason: str) -> None:
    "The phone system pauses (a reason) or unpauses (none) the agent."
    assert telephony.sim.pause(agent, paused=bool(reason), reason=reason)


def test_call_back_missed_call(agent1_bar: Any, suite: Any,
        tmp_path: Path) -> None:
    "Call Back on a missed call dials the caller from the agent's phone"
    page = agent1_bar
    number = '+8613700137000'
    with Telephony(suite, tmp_path) as telephony:
        call, = telephony.db.one("INSERT INTO callcenter_call (server, "
            "linkedid, caller, direction, state, disposition, handling, "
            "agent, start_at, create_uid, create_date) VALUES (%s, "
            "'missed-1', %s, 'inbound', 'ended', 'missed', 'new', %s, "
            "now(), 0, now()) RETURNING id", telephony.db.server_id, number,
            telephony.db.agent('agent1'))
        page.evaluate("call => Sao.Tab.create({model: 'callcenter.call', "
            "res_id: call, mode: ['form']})", call)
        page.get_by_role('button', name='Call Back').click()
        originate = telephony.call(telephony.sim.wait_action('Originate',
                lambda h: h.get('exten') == number)).result(30)
        assert originate['channel'] == 'PJSIP/1001'
        assert telephony.db.one("SELECT handling FROM callcenter_call"
            " WHERE id = %s", call)[0] == 'called_back'


def _bar_state(page: Any, state: str) -> None:
    page.wait_for_function("document.querySelector('#cc-phone-bar')"
        f".dataset.state === '{state}'", timeout=30000)


def test_hold_then_resume(agent1_bar: Any, suite: Any,
        tmp_path: Path) -> None:
    """Hold during a call puts the customer on hold on the phone system and
    the bar shows it; Resume brings the call back"""
    page = agent1_bar
    bar = page.locator('#cc-phone-bar')
    with Telephony(suite, tmp_path) as telephony:
        assert not bar.locator('[data-action=hold]').is_visible()
        call = telephony.call(telephony.sim.scenario('inbound',
                caller='+8613800138000', agent='agent1', queue='support',
                talk=None)).result(30)
        _bar_state(page, 'on_call')
        assert not bar.locator('[data-action=resume]').is_visible()
        bar.locator('[data-action=hold]').click()
        _bar_state(page, 'on_hold')
        redirect = telephony.call(telephony.sim.wait_action('Redirect')
            ).result(30)
        assert redirect['context'] == 'callcenter-hold'
        assert redirect['extrachannel'].startswith('PJSIP/1001-')
        assert 'On Hold' in bar.locator('.cc-state').inner_text()
        bar.locator('[data-action=resume]').click()
        _bar_state(page, 'on_call')
        bridge = telephony.call(telephony.sim.wait_action('Bridge')
            ).result(30)
        assert bridge['channel1'] == redirect['extrachannel']
        assert page.evaluate('window.ccStates').count('on_hold') == 1
        telephony.sim.hangup(call, 'caller')
        telephony.call(call.finished.wait()).result(30)


def test_transfer_refused_on_hold_shows_failed(agent1_bar: Any, suite: Any,
        tmp_path: Path) -> None:
    """A blind transfer the phone system refuses (the call is on hold) shows
    as failed in the bar with Asterisk's reason; the call stays on hold"""
    page = agent1_bar
    bar = page.locator('#cc-phone-bar')
    with Telephony(suite, tmp_path) as telephony:
        call = telephony.call(telephony.sim.scenario('inbound',
                caller='+8613800138000', agent='agent1', queue='support',
                talk=None)).result(30)
        _bar_state(page, 'on_call')
        bar.locator('[data-action=hold]').click()
        _bar_state(page, 'on_hold')
        bar.locator('[data-action=transfer]').click()
        page.locator('#cc-directory tr[data-agent="'
            f'{telephony.db.agent("agent3")}"]').click()
        alert = bar.locator('.cc-alert[data-kind=error]')
        alert.wait_for(timeout=30000)
        assert 'Transfer invalid' in alert.inner_text()
        assert 'PJSIP/trunk' in ' '.join(telephony.sim.pbx.channels)
        assert bar.get_attribute('data-state') == 'on_hold'
        telephony.sim.hangup(call, 'caller')
        telephony.call(call.finished.wait()).result(30)
