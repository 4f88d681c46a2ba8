"""Customers ▸ Import Customers: file, columns, then the import job.

The second step shows each column of the file with the field it fills
(from the chosen mapping, else matched on the labels) and its coded
values; the user may change them and save them as a named mapping. A
column that matches no field is never dropped unasked: for each, the user
imports it into a field, creates a custom field for it, or skips it, and
*Import* refuses while one is left undecided.
"""
import json
import re

from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import Button, StateAction, StateTransition, StateView, \
    Wizard

from trytond.modules.callcenter_base.import_job import DUPLICATES
from trytond.modules.callcenter_base.importer.convert import fold
from trytond.modules.callcenter_base.importer.engine import match_headers
from trytond.modules.callcenter_base.importer.reader import (
    ReadError, headers)

from .exceptions import ImportFileError, ImportUnmatchedColumnError
from .importer.customer import (
    ATTRIBUTE_PREFIX, get_targets, target_selection)

ACTIONS = [
    (None, ""),
    ('field', "Import into the Field"),
    ('create', "Create a Custom Field"),
    ('skip', "Skip the Column"),
    ]


class CustomerImportStart(ModelView):
    "Choose the file to import"
    __name__ = 'callcenter.customer.import.start'
    file = fields.Binary("File", filename='filename', required=True,
        help=".xlsx, .xls, .csv or .txt with a header row.")
    filename = fields.Char("File Name")
    mapping = fields.Many2One('callcenter.customer.import.mapping',
        "Mapping", help="A saved mapping; leave empty to match the headers "
        "to the field labels.")
    duplicates = fields.Selection(DUPLICATES, "Duplicates", required=True,
        help="Rows with the phone number of an existing customer.")

    @staticmethod
    def default_duplicates():
        return 'skip'


class CustomerImportMap(ModelView):
    "Check the columns"
    __name__ = 'callcenter.customer.import.map'
    lines = fields.One2Many('callcenter.customer.import.map.line', None,
        "Columns")
    save_as = fields.Char("Save Mapping As",
        help="Remember these columns under this name (replaces a mapping "
        "of the same name).")
    job = fields.Many2One('callcenter.customer.import', "Import",
        readonly=True)


class CustomerImportMapLine(ModelView):
    "A column of the file"
    __name__ = 'callcenter.customer.import.map.line'
    header = fields.Char("Column Header", readonly=True)
    action = fields.Selection(ACTIONS, "Action",
        help="What to do with the column; a column that matches no field "
        "must be given an action.")
    field = fields.Selection('get_fields', "Field",
        states={'invisible': Eval('action') != 'field'},
        help="The field the column fills.")
    codes = fields.Text("Codes",
        help="Coded values, one per line, e.g. \"1=Male\".")

    @classmethod
    def get_fields(cls):
        return target_selection()

    @fields.depends('field', 'action')
    def on_change_field(self):
        if self.field:
            self.action = 'field'


class CustomerImportWizard(Wizard):
    "Import Customers"
    __name__ = 'callcenter.customer.import.wizard'
    start = StateView('callcenter.customer.import.start',
        'callcenter_ticket.customer_import_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Next", 'map_', 'tryton-forward', default=True),
            ])
    map_ = StateView('callcenter.customer.import.map',
        'callcenter_ticket.customer_import_map_view_form', [
            Button("Back", 'start', 'tryton-back'),
            Button("Import", 'import_', 'tryton-ok', default=True),
            ])
    import_ = StateTransition()
    open_ = StateAction('callcenter_ticket.act_customer_import_form')

    def default_map_(self, fields):
        try:
            file_headers = headers(self.start.filename, self.start.file)
        except ReadError:
            raise ImportFileError(gettext(
                    'callcenter_base.msg_import_unreadable_file',
                    filename=self.start.filename or ''))
        saved = {}
        if self.start.mapping:
            saved = {fold(l.header): l for l in self.start.mapping.lines}
        return {
            'lines': [self._line(h, saved) for h in file_headers if h],
            'save_as': self.start.mapping.name if self.start.mapping else None,
            }

    def _line(self, header, saved):
        if fold(header) in saved:
            line = saved[fold(header)]
            return {'header': header, 'field': line.field,
                'action': 'field' if line.field else 'skip',
                'codes': line.codes}
        columns, _, _ = match_headers([header], get_targets())
        if not columns:
            return {'header': header, 'field': None, 'action': None}
        return {'header': header, 'field': columns[0].target.name,
            'action': 'field'}

    def transition_import_(self):
        pool = Pool()
        Import = pool.get('callcenter.customer.import')
        self._check_decided()
        self._create_fields()
        mapping = self._save_mapping()
        job, = Import.create([{
                    'file': self.start.file,
                    'filename': self.start.filename,
                    'duplicates': self.start.duplicates,
                    'mapping': mapping.id if mapping else None,
                    'columns': json.dumps([[l.header, self._field(l), l.codes]
                            for l in self.map_.lines]),
                    }])
        Import.start([job])
        self.map_.job = job
        return 'open_'

    @staticmethod
    def _field(line):
        return line.field if line.action == 'field' else None

    def _check_decided(self):
        "Refuse while a column has neither a field nor an action."
        undecided = [l.header for l in self.map_.lines
            if not l.action or (l.action == 'field' and not l.field)]
        if undecided:
            raise ImportUnmatchedColumnError(gettext(
                    'callcenter_ticket.msg_import_undecided_columns',
                    columns=', '.join(f'"{h}"' for h in undecided)))

    def _create_fields(self):
        """A text custom field of customers for each column so chosen.

        Team leaders who import may add these fields (custom fields are
        otherwise an admin's): only text fields of customers, of their
        company, named after the column.
        """
        Attribute = Pool().get('callcenter.attribute')
        company = Transaction().context.get('company')
        lines = [l for l in self.map_.lines if l.action == 'create']
        for line in lines:
            name = attribute_name(line.header)
            with without_check_access():
                if not Attribute.search([('name', '=', name),
                            ('usage', '=', 'customer'),
                            ('company', '=', company)]):
                    Attribute.create([{'name': name, 'string': line.header,
                                'type_': 'char', 'usage': 'customer'}])
            line.field = ATTRIBUTE_PREFIX + name
            line.action = 'field'

    def _save_mapping(self):
        "Remember the columns under the name given, if any."
        Mapping = Pool().get('callcenter.customer.import.mapping')
        name = (self.map_.save_as or '').strip()
        if not name:
            return None
        lines = [('create', [{'header': l.header, 'field': self._field(l),
                            'codes': l.codes} for l in self.map_.lines])]
        existing = Mapping.search([('name', '=', name)])
        if existing:
            Mapping.write(existing, {'lines': [('delete',
                                [l.id for l in existing[0].lines])]})
            Mapping.write(existing, {'lines': lines})
            return existing[0]
        mapping, = Mapping.create([{'name': name, 'lines': lines}])
        return mapping

    def do_open_(self, action):
        action['res_id'] = [self.map_.job.id]
        action['views'].reverse()  # the form first
        return action, {}


def attribute_name(header):
    "A custom field's name from a column header: 「首次来电」 → 首次来电."
    name = re.sub(r'\W+', '_', fold(header)).strip('_') or 'column'
    return name if name[0].isalpha() or name[0] == '_' else f'c_{name}'
