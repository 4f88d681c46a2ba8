"""The import engine with a second target: a lead list, as in the doc.

Pure Python: the target keeps its records in memory, so that the engine's
rules (all or nothing, row errors, files without a header row, rows left
out and reported) are shown without a database.
"""
import unittest

from trytond.modules.callcenter_base.importer.engine import Target, error
from trytond.modules.callcenter_base.importer.target import (
    ImportTarget, run)


class LeadTarget(ImportTarget):
    "Leads of a task: one number a line, or a name and a number."

    def __init__(self, task, do_not_call=()):
        self.task = task  # number -> lead id, the task's leads
        self.do_not_call = set(do_not_call)

    def fields(self):
        return [Target('phone', 'phone', ("Phone", "电话", "号码"),
                required=True),
            Target('name', 'char', ("Name", "姓名"), max_length=100)]

    def headers(self, filename):
        return ['phone'] if filename.endswith('.txt') else None

    def region(self):
        return 'CN'

    def existing(self, rows):
        return {row: self.task[values['phone']] for row, values in rows
            if values['phone'] in self.task}

    def excluded(self, rows):
        return {row: ('campaign.msg_lead_do_not_call',
                {'number': values['phone']})
            for row, values in rows if values['phone'] in self.do_not_call}

    def create(self, rows, progress, phones):
        for _, values in rows:
            self.task[values['phone']] = len(self.task) + 1
        return len(rows)


class ImporterTestCase(unittest.TestCase):
    "Test the import engine through a second target"

    def test_txt_one_number_a_line(self):
        "A .txt of numbers imports each; task duplicates and DNC reported"
        task = {'+8613800138000': 1}
        target = LeadTarget(task, do_not_call={'+8613800138002'})
        data = "13800138000\n13800138001\n\n13800138002\n".encode()
        outcome = run(target, 'leads.txt', data)
        self.assertEqual(outcome.errors, [])
        self.assertEqual(outcome.created, 1)
        self.assertEqual(outcome.existing, {1: 1})
        self.assertEqual(outcome.excluded, {4: ('campaign.msg_lead_do_not_call',
                    {'number': '+8613800138002'})})
        self.assertIn('+8613800138001', task)

    def test_bad_row_writes_nothing(self):
        "Numbers twice in the file or invalid fail the whole file"
        task = {}
        data = ("姓名,号码\n王芳,13800138000\n李强,12\n"
            "张伟,13800138000\n").encode('gb18030')
        outcome = run(LeadTarget(task), 'leads.csv', data)
        self.assertEqual(outcome.encoding, 'gb18030')
        self.assertEqual(outcome.errors, [
                error(3, '号码', 'invalid_phone', value='12'),
                error(4, '号码', 'duplicate_in_file',
                    value='+8613800138000', other=2)])
        self.assertEqual((outcome.created, task), (0, {}))

    def test_unmatched_and_dry_run(self):
        "A column matching no field stops the run unless skipped"
        data = "Phone,Note\n13800138000,call back\n".encode()
        target = LeadTarget({})
        outcome = run(target, 'leads.csv', data)
        self.assertEqual(outcome.unmatched, ['Note'])
        self.assertEqual(outcome.errors,
            [error(1, 'Note', 'unmatched_column')])
        outcome = run(target, 'leads.csv', data, skip_unmatched=True,
            dry_run=True)
        self.assertEqual((outcome.errors, outcome.rows, outcome.created),
            ([], 1, 0))
        self.assertEqual(target.task, {})

    def test_text_too_long(self):
        "A name over the target's limit is a row error naming its column"
        data = ("Phone,Name\n13800138000," + "x" * 101 + "\n").encode()
        outcome = run(LeadTarget({}), 'leads.csv', data)
        self.assertEqual(outcome.errors,
            [error(2, 'Name', 'too_long', size=100, length=101)])
