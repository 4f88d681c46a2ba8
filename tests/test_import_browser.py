"""Customers ▸ Import Customers in the web client, in headless Chromium."""
import io

import openpyxl
import pytest

from webclient import open_menu

pytestmark = pytest.mark.browser


def xlsx(rows):
    book = openpyxl.Workbook()
    for row in rows:
        book.active.append(row)
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


def customers(suite, pattern):
    with suite.connect() as conn:
        return [name for name, in conn.execute(
                "SELECT name FROM party_party WHERE name LIKE %s "
                "ORDER BY name", (pattern,))]


# sao keeps a wizard busy for a few turns of the event loop after showing a
# step; this stretches that time to 1.5 s, so that a button pressed as soon
# as the step shows lands in it.
SLOW_WIZARD_STEPS = """() => {
    const process = Sao.Wizard.prototype.process;
    Sao.Wizard.prototype.process = function(state) {
        if (!this.slowed) {
            this.slowed = true;
            let busy = false;
            Object.defineProperty(this, '__processing', {
                get: () => busy,
                set: value => {
                    if (value) {
                        busy = true;
                    } else {
                        setTimeout(() => busy = false, 1500);
                    }
                },
            });
        }
        return process.call(this, state);
    };
}"""


def import_file(page, filename, rows):
    "Run Import Customers on ``rows``, pressing each button at once."
    open_menu(page, 'Call Center', 'Customers', 'Import Customers')
    dialog = page.locator('.modal-dialog:visible').last
    dialog.locator('input[type=file]').set_input_files(files=[{
                'name': filename,
                'mimeType': 'application/vnd.openxmlformats-officedocument.'
                'spreadsheetml.sheet',
                'buffer': xlsx(rows),
                }])
    dialog.get_by_role('button', name='Next').click()
    columns = page.locator('.modal-dialog:visible').last
    columns.locator('tbody tr', has_text='手机').wait_for()
    columns.get_by_role('button', name='Import').click()
    job = page.locator('#tabs .tab-pane.active')
    job.get_by_text('Error Report', exact=True).wait_for()


def import_job(suite, filename):
    with suite.connect() as conn:
        return conn.execute("SELECT state, created FROM "
            "callcenter_customer_import WHERE filename = %s",
            (filename,)).fetchone()


def test_leader_imports_customers(suite, login, page):
    "A team leader uploads an .xlsx, checks the columns and gets the job"
    login('leader1', 'leader1-demo')
    import_file(page, 'browser.xlsx', [["姓名", "手机", "客户级别"],
            ["浏览器甲", "13800138011", "VIP"],
            ["浏览器乙", "13800138012", "Corporate"]])
    assert import_job(suite, 'browser.xlsx') == ('done', 2)
    assert customers(suite, '浏览器%') == ["浏览器乙", "浏览器甲"]


def test_button_pressed_while_step_fills_is_kept(suite, login, page):
    "Import pressed while the columns step is still being filled still runs"
    login('leader1', 'leader1-demo')
    page.evaluate(SLOW_WIZARD_STEPS)
    import_file(page, 'quick.xlsx', [["姓名", "手机"],
            ["快手丙", "13800138013"]])
    assert import_job(suite, 'quick.xlsx') == ('done', 1)


def test_agent_has_no_import(suite, login, page):
    "Agents see the customers but not the import"
    login('agent1', 'agent1-demo')
    open_menu(page, 'Call Center', 'Customers')
    page.locator('#menu').get_by_text('Customer Groups', exact=True) \
        .wait_for()
    assert page.locator('#menu').get_by_text(
        'Import Customers', exact=True).count() == 0


def choose_action(columns, header, action):
    "Set the Action of the column ``header`` in the editable list."
    row = columns.locator('tbody tr', has_text=header)
    cell = row.locator('td[data-title^="Action"]')
    select = cell.locator('select')
    cell.click()  # selects the row; a click on the selected row edits
    cell.click()
    select.wait_for()
    select.select_option(label=action)
    select.press('Tab')


def test_leader_decides_unmatched_columns(suite, login, page):
    "Columns matching no field block Import until each is skipped or added"
    login('leader1', 'leader1-demo')
    open_menu(page, 'Call Center', 'Customers', 'Import Customers')
    dialog = page.locator('.modal-dialog:visible').last
    dialog.locator('input[type=file]').set_input_files(files=[{
                'name': 'columns.xlsx',
                'mimeType': 'application/vnd.openxmlformats-officedocument.'
                'spreadsheetml.sheet',
                'buffer': xlsx([["姓名", "手机", "首次来电", "Company"],
                        ["列名甲", "13800138014", "2013-04-07", "ACME"]]),
                }])
    dialog.get_by_role('button', name='Next').click()
    columns = page.locator('.modal-dialog:visible').last
    columns.locator('tbody tr', has_text='Company').wait_for()
    columns.get_by_role('button', name='Import').click()
    error = page.locator('.modal-dialog:visible',
        has_text='"首次来电", "Company" match no field')
    error.wait_for()
    error.get_by_role('button', name='OK').click()
    assert customers(suite, '列名%') == []
    choose_action(columns, '首次来电', 'Create a Custom Field')
    choose_action(columns, 'Company', 'Skip the Column')
    columns.get_by_role('button', name='Import').click()
    job = page.locator('#tabs .tab-pane.active')
    job.get_by_text('Error Report', exact=True).wait_for()
    assert import_job(suite, 'columns.xlsx') == ('done', 1)
    with suite.connect() as conn:
        attributes, = conn.execute("SELECT cc_attributes FROM party_party "
            "WHERE name = '列名甲'").fetchone()
    assert attributes == {'首次来电': "2013-04-07"}
