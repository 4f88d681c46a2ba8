"Steps in sao shared by the browser tests."
import re

from playwright.sync_api import expect


def log_in(page, url, db_name, user, password):
    "Log into the web client at ``url`` on database ``db_name``."
    page.goto(f'{url}#{db_name}')
    # sao's login reads the database field, filled once the server has
    # listed its databases: a click before that does nothing.
    page.wait_for_function(
        "[...document.querySelectorAll('.login-dialog [name=database]')]"
        ".some(field => field.value)")
    page.locator('#login').fill(user)
    page.locator('.login-dialog button[type=submit]').click()
    password_input = page.locator('input[type=password]:visible')
    password_input.fill(password)
    password_input.press('Enter')
    page.locator('#menu').wait_for(state='visible')
    # The server replays a user's recent bus messages to a new page: a
    # pop sent at the end of an earlier test would reach this one.
    page.wait_for_function('window.CallCenter')
    page.evaluate(
        'CallCenter.loadedAt = Date.now() / 1000 + CallCenter.clockSkew')
    return page


def open_menu(page, *path):
    "Click through the menu: ``open_menu(page, 'Call Center', 'Tickets')``."
    menu = page.locator('#menu')
    for name in path:
        menu.get_by_text(name, exact=True).first.click()


def open_row(tab, text, field='name', attempts=3):
    """Open the list row showing ``text`` in its form, and return the form's
    ``field``, which shows ``text`` once the record is loaded.

    A double click that lands while sao redraws the list (it does again when
    the user's stored tree state arrives) finds no current record and opens
    an empty new one: the form is then left for the list and the row opened
    again."""
    row = tab.locator('tbody tr', has_text=text).first
    selected = tab.locator('tbody tr.selected', has_text=text).first
    entry = tab.locator(f'[name={field}]:visible').first
    shows_text = re.compile(re.escape(text))
    for attempt in range(attempts):
        if 'selected' not in (row.get_attribute('class') or '').split():
            row.click()     # a click on a selected row unselects it
        selected.wait_for()
        selected.dblclick()
        try:
            expect(entry).to_have_value(shows_text, timeout=10000)
            return entry
        except AssertionError:
            if attempt == attempts - 1:
                raise
            tab.locator('button#switch_').click()
            row.wait_for()


def active_tab(page):
    return page.locator('#tabs .tab-pane.active')


def pick(page, entry, text):
    "Type text in a many2one field and choose the match in the search."
    dialogs = page.locator('.modal-dialog:visible')
    before = dialogs.count()
    entry.fill(text)
    entry.press('Tab')
    expect(dialogs).to_have_count(before + 1)
    search = dialogs.last
    search.locator('tbody tr', has_text=text).first.click()
    search.get_by_role('button', name='OK', exact=True).click()
    expect(dialogs).to_have_count(before)
    expect(entry).not_to_have_value('')
