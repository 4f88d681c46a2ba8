"""The web client as an agent meets it, in headless Chromium."""
import pytest

pytestmark = pytest.mark.browser


def test_agent_opens_customers(login, page, suite):
    "An agent logs in, sees the Call Center menu and opens the customers"
    with suite.connect() as conn:   # the demo's, and those of earlier tests
        count, = conn.execute(
            "SELECT count(*) FROM party_party WHERE active").fetchone()
    login('agent1', 'agent1-demo')
    menu = page.locator('#menu')
    menu.get_by_text('Call Center', exact=True).click()
    menu.get_by_text('Customers', exact=True).click()
    tab = page.locator('#tabs .tab-pane.active')
    tab.locator('tbody tr').first.wait_for()
    page.wait_for_function(
        "count => document.querySelector('#tabs .tab-pane.active').innerText"
        ".includes('/' + count)", arg=count)
    search = tab.get_by_placeholder('Search')
    search.fill('北京华联')
    search.press('Enter')
    row = tab.locator('tbody tr', has_text='北京华联商贸有限公司')
    row.wait_for()
    page.wait_for_function(
        "document.querySelectorAll('#tabs .tab-pane.active tbody tr')"
        ".length === 1")


def test_call_center_scripts_listen_on_own_channel(login, page):
    "The suite's scripts are loaded and listen on the agent's own channel"
    login('agent2', 'agent2-demo')
    page.wait_for_function('window.CallCenter && window.CallCenter.channel')
    channel = page.evaluate('window.CallCenter.channel')
    user_id = page.evaluate('Sao.Session.current_session.user_id')
    assert channel == f'user:{user_id}'


def test_agent_does_not_see_configuration(login, page):
    "The Call Center configuration menu is for admins only"
    login('agent1', 'agent1-demo')
    menu = page.locator('#menu')
    menu.get_by_text('Call Center', exact=True).click()
    menu.get_by_text('Customers', exact=True).wait_for()
    assert menu.get_by_text('Configuration', exact=True).count() == 0


def test_chinese_agent_sees_chinese_menu(login, page):
    "An agent whose language is Chinese gets the menus in Chinese"
    login('agent2', 'agent2-demo')
    menu = page.locator('#menu')
    menu.get_by_text('呼叫中心', exact=True).click()
    menu.get_by_text('客户', exact=True).wait_for()
