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
    result = callcenter_import(suite, path, '--skip-unmatched')
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
    result = callcenter_import(suite, path, '--skip-unmatched')
    assert result.returncode == 0, result.stdout + result.stderr
    assert "imported: 2 created, 0 updated, 0 skipped" in result.stdout
    assert count(suite, '导入%') == 2
    again = callcenter_import(suite, path, '--duplicates', 'skip',
        '--skip-unmatched')
    assert "0 created, 0 updated, 2 skipped" in again.stdout, again.stdout
    assert 'Row 2: the customer "导入丙"' in again.stdout
    renamed = xlsx(tmp_path / 'renamed.xlsx', [
            ["导入丙 (new)", "13800138001", "Corporate", ""]])
    update = callcenter_import(suite, renamed, '--duplicates', 'update',
        '--skip-unmatched')
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


def test_unmatched_columns_stop_the_import(suite, tmp_path):
    "Columns matching no field are named and nothing is written"
    path = xlsx(tmp_path / 'unmatched.xlsx', [
            ["导入己", "13800138004", "VIP", "20130407"]])
    result = callcenter_import(suite, path)
    assert result.returncode == 1, result.stdout + result.stderr
    assert 'Column "Birthday" matches no field' in result.stdout
    assert "columns matching no field: Birthday" in result.stdout
    assert count(suite, '导入己') == 0
    skipped = callcenter_import(suite, path, '--skip-unmatched')
    assert skipped.returncode == 0, skipped.stdout + skipped.stderr
    assert "skipped columns: Birthday" in skipped.stdout
    assert count(suite, '导入己') == 1


def test_dry_run_writes_nothing(suite, tmp_path):
    "--dry-run checks every row, prints the report and writes nothing"
    path = xlsx(tmp_path / 'dry.xlsx', [
            ["导入庚", "13800138005", "VIP客户", ""],
            ["导入辛", "13800138006", "Individual", ""]])
    with suite.connect() as conn:
        jobs = conn.execute(
            "SELECT count(*) FROM callcenter_customer_import").fetchone()[0]
    result = callcenter_import(suite, path, '--dry-run', '--skip-unmatched')
    assert result.returncode == 0, result.stdout + result.stderr
    assert "dry run: 2 rows checked, no errors, nothing written" \
        in result.stdout
    assert count(suite, '导入庚') + count(suite, '导入辛') == 0
    with suite.connect() as conn:
        assert conn.execute("SELECT count(*) FROM "
            "callcenter_customer_import").fetchone()[0] == jobs
    bad = xlsx(tmp_path / 'dry-bad.xlsx', [["导入壬", "12", "VIP", ""]])
    result = callcenter_import(suite, bad, '--dry-run', '--skip-unmatched')
    assert result.returncode == 1
    assert 'Row 2, column "手机": "12" is not a valid phone number.' \
        in result.stdout


def test_csv_encoding_detected_or_given(suite, tmp_path):
    "A GB18030 CSV is read and its encoding printed; --encoding overrides"
    path = tmp_path / 'gbk.csv'
    path.write_bytes("姓名,手机\n导入癸,13800138007\n".encode('gb18030'))
    result = callcenter_import(suite, path, '--dry-run')
    assert result.returncode == 0, result.stdout + result.stderr
    assert "encoding: gb18030" in result.stdout
    wrong = callcenter_import(suite, path, '--dry-run', '--encoding', 'utf-8')
    assert wrong.returncode == 1
    assert 'cannot be read as "utf-8-sig" text' not in wrong.stdout
    assert 'cannot be read as "utf-8" text' in wrong.stdout
    given = callcenter_import(suite, path, '--encoding', 'gb18030')
    assert given.returncode == 0, given.stdout + given.stderr
    assert "encoding: gb18030" in given.stdout
    assert count(suite, '导入癸') == 1
