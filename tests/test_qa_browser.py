"""QA of a call in headless Chromium: graded while its recording plays,
disputed by the agent, and the results graph a team leader reads."""
import datetime as dt

import pytest
from playwright.sync_api import expect

from callcenter import demo_qa, tryton

from webclient import active_tab, open_menu

pytestmark = pytest.mark.browser

STARTED = dt.datetime(2026, 12, 1, 10, 15)
MARK = STARTED.strftime('%Y-%m-%d %H:%M')
DISPUTE = "I offered the express delivery, listen at 0:40"


def draft_evaluation(pool):
    """A call of agent1 with the demo's recording, in qa1's "My QA" with
    every line scored but the first."""
    Call = pool.get('callcenter.call')
    Evaluation = pool.get('callcenter.qa.evaluation')
    Template = pool.get('callcenter.qa.template')
    User = pool.get('res.user')
    demo, = Call.search([('linkedid', '=', 'demo-qa.0')])
    qa1, = User.search([('login', '=', 'qa1')])
    template, = Template.search([('name', 'like', '%Service QA')])
    call, = Call.create([{
                'server': demo.server.id, 'linkedid': 'browser-qa.1',
                'state': 'ended', 'direction': 'inbound',
                'disposition': 'answered', 'agent': demo.agent.id,
                'caller': demo.caller, 'callee': demo.callee,
                'party': demo.party.id if demo.party else None,
                'start_at': STARTED,
                'answer_at': STARTED + dt.timedelta(seconds=8),
                'hangup_at': STARTED + dt.timedelta(seconds=200),
                'talk_duration': dt.timedelta(seconds=192),
                'notes': "Parcel late, offered express delivery",
                # the copied database has no filestore: a new file
                'recording': demo_qa.recording(),
                'recording_name': 'browser-qa.wav'}])
    values = Evaluation.values_for_call(call, template)
    evaluation, = Evaluation.create([dict(values,
                company=qa1.company.id, grader=qa1.id)])
    Line = pool.get('callcenter.qa.evaluation.line')
    for line in evaluation.lines[1:]:
        Line.write([line], {'score': line.max_score})
    return evaluation.id


def state_of(suite, evaluation_id):
    with suite.connect() as conn:
        state, = conn.execute(
            "SELECT state FROM callcenter_qa_evaluation WHERE id = %s",
            (evaluation_id,)).fetchone()
    return state


def log_out(page):
    page.context.clear_cookies()
    page.evaluate("localStorage.clear(); sessionStorage.clear()")
    page.goto('about:blank')


def open_row(tab, text):
    "Open the row showing text from its Date cell (other cells are links)."
    cell = 'td[data-title^="Date"]'
    tab.locator('tbody tr', has_text=text).first.locator(cell).click()
    tab.locator('tbody tr.selected', has_text=text).first.locator(
        cell).dblclick()


def test_grade_dispute_and_report(suite, login, page):
    """qa1 grades a call while its recording plays and submits; agent1
    disputes the result; leader1 opens the results graph"""
    evaluation_id = tryton.call(suite.config, suite.db_name, draft_evaluation)

    login('qa1', 'qa1-demo')
    open_menu(page, 'Call Center', 'Quality', 'My QA')
    tab = active_tab(page)
    open_row(tab, MARK)
    audio = tab.locator('audio.callcenter-recording')
    audio.wait_for(state='attached')
    page.wait_for_function(
        "document.querySelector('audio.callcenter-recording')"
        ".readyState >= 1")
    assert audio.evaluate('a => a.duration') > 15
    # seek, then play: the position moves on from where it was put
    audio.evaluate('a => { a.currentTime = 5; return a.play(); }')
    page.wait_for_function(
        "document.querySelector('audio.callcenter-recording')"
        ".currentTime > 5.5")
    assert audio.evaluate('a => a.paused') is False

    score = tab.locator('input[name=live_score]')
    before = score.input_value()
    first = tab.locator('.treeview tbody tr').first
    first.locator('td[data-title^="Score"]').click()
    cell = first.locator('td[data-title^="Score"] input')
    cell.fill('8')
    cell.press('Tab')
    expect(score).not_to_have_value(before)
    tab.get_by_role('button', name='Submit').click()
    page.locator('.modal-dialog:visible').get_by_role(
        'button', name='OK').click()
    expect(tab.get_by_role('button', name='Submit')).to_be_hidden()
    assert state_of(suite, evaluation_id) == 'submitted'

    log_out(page)
    login('agent1', 'agent1-demo')
    open_menu(page, 'Call Center', 'My Evaluations')
    tab = active_tab(page)
    open_row(tab, MARK)
    tab.get_by_role('button', name='Dispute').click()
    dialog = page.locator('.modal-dialog:visible', has_text='Dispute')
    dialog.locator('textarea[name=comment]').fill(DISPUTE)
    dialog.get_by_role('button', name='Dispute').click()
    dialog.wait_for(state='hidden')
    expect(tab.get_by_role('button', name='Dispute')).to_be_hidden()

    with suite.connect() as conn:
        state, = conn.execute(
            "SELECT state FROM callcenter_qa_evaluation WHERE id = %s",
            (evaluation_id,)).fetchone()
        comment, = conn.execute(
            "SELECT comment FROM callcenter_qa_evaluation_history "
            "WHERE evaluation = %s AND action = 'disputed'",
            (evaluation_id,)).fetchone()
    assert (state, comment) == ('disputed', DISPUTE)

    log_out(page)
    login('leader1', 'leader1-demo')
    open_menu(page, 'Call Center', 'Quality', 'QA Results')
    tab = active_tab(page)
    tab.locator('tbody tr').first.wait_for()
    tab.get_by_role('button', name='Switch').click()
    graph = tab.locator('.graph svg')
    graph.first.wait_for()
    # a bar per agent of leader1's team
    expect(tab.locator('.graph svg').first).to_contain_text('Wang Fang')
