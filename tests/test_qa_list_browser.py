"""A QA list in headless Chromium: qa1 generates it (the sampling runs as
the queued task after the click) and assigns its samples to themself."""
import datetime as dt

import pytest
from playwright.sync_api import expect

from callcenter import tryton

from webclient import active_tab, open_menu

pytestmark = pytest.mark.browser

NAME = "Browser QA list"


def new_list(pool):
    "A per-agent list of the demo's calls, as qa1 would fill it in."
    QaList = pool.get('callcenter.qa.list')
    Template = pool.get('callcenter.qa.template')
    User = pool.get('res.user')
    qa1, = User.search([('login', '=', 'qa1')])
    template, = Template.search([('state', '=', 'active')],
        order=[('id', 'ASC')], limit=1)
    now = dt.datetime.now()
    qa_list, = QaList.create([{'name': NAME, 'company': qa1.company.id,
                'template': template.id, 'rule': 'per_agent', 'count': 2,
                'call_from': now - dt.timedelta(days=60), 'call_to': now}])
    return qa_list.id


def counts(suite, list_id):
    with suite.connect() as conn:
        return conn.execute(
            "SELECT count(*), count(assignee) FROM callcenter_qa_sample"
            " WHERE list = %s", (list_id,)).fetchone()


def test_generate_and_assign(suite, login, page):
    "qa1 generates a list, then assigns its samples evenly"
    list_id = tryton.call(suite.config, suite.db_name, new_list)
    login('qa1', 'qa1-demo')
    open_menu(page, 'Call Center', 'Quality', 'QA Lists')
    tab = active_tab(page)
    tab.locator('tbody tr', has_text=NAME).first.dblclick()
    tab.get_by_role('button', name='Generate').click()
    expect(tab.get_by_role('button', name='Assign')).to_be_visible(
        timeout=30000)
    total, assigned = counts(suite, list_id)
    assert total > 0 and assigned == 0
    tab.get_by_role('button', name='Assign').click()
    dialog = page.locator('.modal-dialog:visible').last
    expect(dialog.locator('tbody tr', has_text='Liu Yang')).to_have_count(1)
    dialog.get_by_role('button', name='Assign', exact=True).click()
    expect(page.locator('.modal-dialog:visible')).to_have_count(0)
    assert counts(suite, list_id) == (total, total)
