"""Customers ▸ Export Customers in the web client, in headless Chromium."""
import io

import openpyxl
import pytest

from webclient import open_menu, pick

pytestmark = pytest.mark.browser

LAYOUT = "Browser export"
COLUMNS = [('mobile', "手机"), ('name', "客户名称"), ('customer_level', None)]


def create_layout(suite):
    "A layout of three columns in a chosen order, as a leader saves one."
    with suite.connect() as conn:
        company, = conn.execute(
            'SELECT MIN(id) FROM company_company').fetchone()
        layout, = conn.execute("INSERT INTO callcenter_customer_export_layout "
            "(name, company, create_uid, create_date) "
            "VALUES (%s, %s, 0, now()) RETURNING id",
            (LAYOUT, company)).fetchone()
        for sequence, (field, header) in enumerate(COLUMNS):
            conn.execute("INSERT INTO callcenter_customer_export_column "
                "(layout, sequence, field, header, create_uid, create_date) "
                "VALUES (%s, %s, %s, %s, 0, now())",
                (layout, sequence, field, header))
        conn.commit()


def customer_count(suite):
    with suite.connect() as conn:
        return conn.execute(
            'SELECT COUNT(*) FROM party_party WHERE active').fetchone()[0]


def test_leader_exports_customers(suite, login, page):
    "A team leader exports every customer with a saved column layout"
    create_layout(suite)
    login('leader1', 'leader1-demo')
    open_menu(page, 'Call Center', 'Customers', 'Export Customers')
    layout = page.locator('.modal-dialog:visible input[name=layout]').first
    layout.wait_for()
    pick(page, layout, LAYOUT)
    page.locator('.modal-dialog:visible').last.get_by_role(
        'button', name='Export').click()

    result = page.locator('.modal-dialog:visible', has_text='File').last
    with page.expect_download() as download:
        result.locator('button[title="Save As..."]').first.click()
    assert download.value.suggested_filename == f'{LAYOUT}.xlsx'
    sheet = openpyxl.load_workbook(
        io.BytesIO(open(download.value.path(), 'rb').read())).active
    rows = list(sheet.iter_rows(values_only=True))

    assert rows[0] == ("手机", "客户名称", "Customer Level")
    assert len(rows) - 1 == customer_count(suite)
    with suite.connect() as conn:
        name, mobile = conn.execute("SELECT p.name, cm.value FROM "
            "party_contact_mechanism cm JOIN party_party p ON p.id = cm.party "
            "WHERE cm.type = 'mobile' AND cm.active AND p.active "
            "ORDER BY p.id, cm.sequence, cm.id LIMIT 1").fetchone()
    assert (mobile, name) in {row[:2] for row in rows[1:]}
