"""A QA list in headless Chromium: qa1 fills it in, generates it (the
sampling runs in trytond-worker, as in production) and assigns its samples
to themself and a second QA staff member, who finds theirs in "Calls to
Grade"."""
import time

import pytest
from playwright.sync_api import expect

from callcenter import tryton

from webclient import active_tab, open_menu, pick

pytestmark = pytest.mark.browser

NAME = "Browser QA list, telesales"
QA2 = ('qa2', "QA Two")
GENERATION_TIMEOUT = 30
REASONS = {
    'low_satisfaction': "Unsatisfied caller",
    'short_call': "Very short call",
    'repeat_caller': "Called again within 24 h",
    'complaint_ticket': "Complaint ticket afterwards",
    'reopened_ticket': "Ticket reopened",
    }


def add_qa_staff(pool):
    "A second QA staff member beside the demo's qa1."
    User = pool.get('res.user')
    ModelData = pool.get('ir.model.data')
    qa1, = User.search([('login', '=', 'qa1')])
    login, name = QA2
    User.create([{'login': login, 'name': name, 'password': f'{login}-demo',
                'groups': [('add', [
                            ModelData.get_id('callcenter_base', 'group_qa')])],
                'companies': [('add', [qa1.company.id])],
                'company': qa1.company.id}])


def samples_of(suite):
    "(agent, reasons, assignee login) of the list's samples."
    with suite.connect() as conn:
        return conn.execute(
            "SELECT s.agent, s.reasons, u.login FROM callcenter_qa_sample s"
            " JOIN callcenter_qa_list l ON l.id = s.list"
            " LEFT JOIN res_user u ON u.id = s.assignee"
            " WHERE l.name = %s", (NAME,)).fetchall()


def add_user(page, dialog, name):
    "Add a user to the wizard's QA staff through the search dialog."
    dialogs = page.locator('.modal-dialog:visible')
    entry = dialog.locator('input[name=users]')
    entry.fill(name)
    entry.press('Tab')
    expect(dialogs).to_have_count(2)
    search = dialogs.last
    search.locator('tbody tr', has_text=name).first.click()
    search.get_by_role('button', name='OK', exact=True).click()
    expect(dialogs).to_have_count(1)
    expect(dialog.locator('tbody tr', has_text=name)).to_have_count(1)


def log_out(page):
    page.context.clear_cookies()
    page.evaluate("localStorage.clear(); sessionStorage.clear()")
    page.goto('about:blank')


def wait_generated(tab):
    """Reload the list until the worker has generated it: the form is not
    refreshed by the server."""
    state = tab.locator('select[name=state]:visible').first
    deadline = time.monotonic() + GENERATION_TIMEOUT
    while True:
        tab.locator('button#reload').click()
        try:
            expect(state).to_have_value('"generated"', timeout=1000)
            return
        except AssertionError:
            if time.monotonic() > deadline:
                raise


def test_generate_and_assign(suite, login, page):
    """qa1 generates a per-agent list of two calls each in the worker and
    assigns it to qa1 and qa2; qa2 sees theirs in Calls to Grade"""
    tryton.call(suite.config, suite.db_name, add_qa_staff)

    login('qa1', 'qa1-demo')
    open_menu(page, 'Call Center', 'Quality', 'QA Lists')
    tab = active_tab(page)
    tab.locator('button#new_').click()
    # the defaults are in: what is typed now is kept
    expect(tab.locator('select[name=rule]:visible').first).to_have_value(
        '"per_agent"')  # sao keeps selection values as JSON
    name = tab.locator('input[name=name]:visible').first
    name.fill(NAME)
    pick(page, tab.locator('input[name=template]:visible').first,
        'Telesales QA')
    tab.locator('input[name=count]:visible').first.fill('2')
    tab.locator('input[name=risk_weighting]:visible').first.check()
    expect(name).to_have_value(NAME)
    tab.get_by_role('button', name='Generate').click()

    wait_generated(tab)
    samples = samples_of(suite)
    per_agent = {}
    for agent, _, assignee in samples:
        per_agent[agent] = per_agent.get(agent, 0) + 1
        assert assignee is None
    assert len(per_agent) >= 2 and set(per_agent.values()) <= {1, 2}
    reasons = {r for _, r, _ in samples if r}
    assert reasons, "risk weighting gives a reason to some samples"
    total = len(samples)
    for field in ('total_count', 'unassigned_count'):
        expect(tab.locator(f'input[name={field}]:visible').first
            ).to_have_value(str(total))

    # the samples with why each was picked, as qa1 checks them
    tab.get_by_role('button', name='Open related records').click()
    page.locator('.dropdown-menu:visible').get_by_text(
        'Samples', exact=True).click()
    related = page.locator(
        '#tabs .tab-pane.active', has_text=f'Samples ({NAME})')
    expect(related.locator('tbody tr', has_text=NAME)).to_have_count(total)
    code = sorted(reasons)[0].split(',')[0]
    expect(related.locator('td[data-title^="Why Sampled"]',
            has_text=REASONS[code]).first).to_be_visible()
    page.locator('#tablist li.active button.close').click()

    tab = active_tab(page)
    tab.get_by_role('button', name='Assign').click()
    dialog = page.locator('.modal-dialog:visible', has_text='Assign Samples')
    expect(dialog.locator('tbody tr', has_text='Liu Yang')).to_have_count(1)
    add_user(page, dialog, QA2[1])
    dialog.get_by_role('button', name='Assign', exact=True).click()
    expect(page.locator('.modal-dialog:visible')).to_have_count(0)
    mine = [s for s in samples_of(suite) if s[2] == QA2[0]]
    assert {s[2] for s in samples_of(suite)} == {'qa1', QA2[0]}
    assert len(mine) in {total // 2, (total + 1) // 2}

    log_out(page)
    login(QA2[0], f'{QA2[0]}-demo')
    open_menu(page, 'Call Center', 'Quality', 'Calls to Grade')
    tab = active_tab(page)
    expect(tab.locator('tbody tr', has_text=NAME)).to_have_count(len(mine))
