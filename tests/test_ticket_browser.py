"""A ticket taken from a customer and transferred, in headless Chromium."""
import pytest
from playwright.sync_api import expect

from webclient import active_tab, open_menu, open_row, pick

pytestmark = pytest.mark.browser

CUSTOMER = "上海东方物流有限公司"
SUBJECT = "Browser test: parcel lost in transit"
REASON = "Li Qiang handles the Shanghai carriers"


def log_out(page):
    "Forget the session, so the next page load asks for a login."
    page.context.clear_cookies()
    page.evaluate("localStorage.clear(); sessionStorage.clear()")
    page.goto('about:blank')


def test_agent_transfers_ticket_from_customer(suite, login, page):
    "agent1 opens a ticket from a customer and transfers it to agent2"
    login('agent1', 'agent1-demo')
    open_menu(page, 'Call Center', 'Customers')
    tab = active_tab(page)
    open_row(tab, CUSTOMER)

    tab.get_by_role('button', name='Open related records').click()
    page.locator('.dropdown-menu:visible').get_by_text(
        'Tickets', exact=True).click()
    tickets = page.locator(
        '#tabs .tab-pane.active', has_text=f'Tickets ({CUSTOMER})')
    tickets.locator('button#new_').click()
    party = tickets.locator('input[name=party]').first
    party.wait_for()
    expect(party).to_have_value(CUSTOMER)
    pick(page, tickets.locator('input[name=type]').first, 'Complaint')
    tickets.locator('input[name=subject]').fill(SUBJECT)
    tickets.get_by_role('button', name='Submit').click()
    tickets.get_by_role('button', name='Reassign').wait_for()

    tickets.get_by_role('button', name='Reassign').click()
    dialog = page.locator('.modal-dialog:visible', has_text='Reassign Ticket')
    dialog.locator('textarea[name=reason]').wait_for()
    pick(page, dialog.locator('input[name=assignee]').first, 'Li Qiang')
    dialog.locator('textarea[name=reason]').fill(REASON)
    dialog.get_by_role('button', name='Reassign').click()
    dialog.wait_for(state='hidden')
    number = tickets.locator('input[name=number]').first
    ticket_number = number.input_value()
    assert ticket_number.startswith('T')

    log_out(page)
    login('agent2', 'agent2-demo')
    open_menu(page, '呼叫中心', '工单')
    mine = active_tab(page)
    row = mine.locator('tbody tr', has_text=ticket_number)
    row.wait_for()
    assert SUBJECT in row.inner_text()
    assert CUSTOMER in row.inner_text()
    assert "普通" in row.inner_text()   # the default priority, Normal
    assert "普通" in row.inner_text()   # the default priority, Normal
    with suite.connect() as conn:
        priority, = conn.execute("SELECT priority FROM callcenter_ticket "
            "WHERE number = %s", (ticket_number,)).fetchone()
    assert priority == 'normal'
