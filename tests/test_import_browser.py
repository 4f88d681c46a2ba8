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


def test_leader_imports_customers(suite, login, page):
    "A team leader uploads an .xlsx, checks the columns and gets the job"
    login('leader1', 'leader1-demo')
    open_menu(page, 'Call Center', 'Customers', 'Import Customers')
    dialog = page.locator('.modal-dialog:visible').last
    dialog.locator('input[type=file]').set_input_files(files=[{
                'name': 'browser.xlsx',
                'mimeType': 'application/vnd.openxmlformats-officedocument.'
                'spreadsheetml.sheet',
                'buffer': xlsx([["姓名", "手机", "客户级别"],
                        ["浏览器甲", "13800138011", "VIP"],
                        ["浏览器乙", "13800138012", "Corporate"]]),
                }])
    dialog.get_by_role('button', name='Next').click()
    columns = page.locator('.modal-dialog:visible').last
    columns.locator('tbody tr', has_text='手机').wait_for()
    columns.get_by_role('button', name='Import').click()

    job = page.locator('#tabs .tab-pane.active')
    job.get_by_text('Error Report', exact=True).wait_for()
    with suite.connect() as conn:
        state, created = conn.execute("SELECT state, created FROM "
            "callcenter_customer_import WHERE filename = 'browser.xlsx'"
            ).fetchone()
    assert (state, created) == ('done', 2)
    assert customers(suite, '浏览器%') == ["浏览器乙", "浏览器甲"]


def test_agent_has_no_import(suite, login, page):
    "Agents see the customers but not the import"
    login('agent1', 'agent1-demo')
    open_menu(page, 'Call Center', 'Customers')
    page.locator('#menu').get_by_text('Customer Groups', exact=True) \
        .wait_for()
    assert page.locator('#menu').get_by_text(
        'Import Customers', exact=True).count() == 0
