"""``callcenter import FILE`` against the served demo suite, as a user runs it.

The command is a subprocess pointed at the suite's PostgreSQL server and
database; the outcome is read back with SQL.
"""
import io
import os
import subprocess

import openpyxl

from callcenter.tryton import tool

HEADER = ["姓名", "手机", "Customer Level", "Birthday"]


def xlsx(path, rows):
    book = openpyxl.Workbook()
    for row in [HEADER] + rows:
        book.active.append(row)
    output = io.BytesIO()
    book.save(output)
    path.write_bytes(output.getvalue())
    return path


def callcenter_import(suite, path, *options):
    env = dict(os.environ, CALLCENTER_DB_URI=suite.server_uri)
    return subprocess.run(
        [tool('callcenter'), 'import', str(path),
            '--db', suite.db_name, *options],
        capture_output=True, text=True, env=env, timeout=300)


def count(suite, name_pattern):
    with suite.connect() as conn:
        return conn.execute(
            "SELECT count(*) FROM party_party WHERE name LIKE %s",
            (name_pattern,)).fetchone()[0]


def test_bad_file_imports_nothing(suite, tmp_path):
    "Errors name row and column on stdout; exit 1; no customer written"
    path = xlsx(tmp_path / 'bad.xlsx', [
            ["导入甲", "13800138000", "VIP", "20130407"],
            ["导入乙", "12", "Platinum", "2013-02-30"],
            ])
    result = callcenter_import(suite, path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert "2 error(s), nothing imported" in result.stdout
    assert 'Row 3, column "手机": "12" is not a valid phone number.' \
        in result.stdout
    assert 'Row 3, column "Customer Level": "Platinum"' in result.stdout
    assert 'Row 3, column "Birthday"' not in result.stdout  # ignored column
    assert count(suite, '导入%') == 0


def test_good_file_then_duplicates(suite, tmp_path):
    "A good file imports; run again, its rows are skipped or updated"
    path = xlsx(tmp_path / 'good.xlsx', [
            ["导入丙", "13800138001", "VIP", ""],
            ["导入丁", "+86 138 0013 8002", "Individual", ""],
            ])
    result = callcenter_import(suite, path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "imported: 2 created, 0 updated, 0 skipped" in result.stdout
    assert count(suite, '导入%') == 2
    again = callcenter_import(suite, path, '--duplicates', 'skip')
    assert "0 created, 0 updated, 2 skipped" in again.stdout, again.stdout
    assert 'Row 2: the customer "导入丙"' in again.stdout
    renamed = xlsx(tmp_path / 'renamed.xlsx', [
            ["导入丙 (new)", "13800138001", "Corporate", ""]])
    update = callcenter_import(suite, renamed, '--duplicates', 'update')
    assert "0 created, 1 updated, 0 skipped" in update.stdout, update.stdout
    assert count(suite, '导入%') == 2
    with suite.connect() as conn:
        level, = conn.execute("SELECT customer_level FROM party_party "
            "WHERE name = '导入丙 (new)'").fetchone()
    assert level == 'corporate'


def test_unknown_mapping(suite, tmp_path):
    "A mapping name that does not exist is a usage error"
    path = xlsx(tmp_path / 'any.xlsx', [["导入戊", "13800138003", "", ""]])
    result = callcenter_import(suite, path, '--mapping', 'Nope')
    assert result.returncode == 2
    assert "no import mapping named 'Nope'" in result.stdout
    assert count(suite, '导入戊') == 0
