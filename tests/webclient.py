"Steps in sao shared by the browser tests."
from playwright.sync_api import expect


def open_menu(page, *path):
    "Click through the menu: ``open_menu(page, 'Call Center', 'Tickets')``."
    menu = page.locator('#menu')
    for name in path:
        menu.get_by_text(name, exact=True).first.click()


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
