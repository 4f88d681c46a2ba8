"""Customers ▸ Import Customers: file, columns, then the import job.

The second step shows each column of the file with the field it fills
(from the chosen mapping, else matched on the labels) and its coded
values; the user may change them and save them as a named mapping.
"""
import json

from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.pool import Pool
from trytond.wizard import Button, StateAction, StateTransition, StateView, \
    Wizard

from .customer_import import DUPLICATES
from .customer_import_mapping import parse_codes
from .customer_import_target import get_targets, target_selection
from .exceptions import ImportFileError
from .import_convert import fold
from .import_engine import match_headers
from .import_reader import ReadError, headers


class CustomerImportStart(ModelView):
    "Choose the file to import"
    __name__ = 'callcenter.customer.import.start'
    file = fields.Binary("File", filename='filename', required=True,
        help=".xlsx, .xls or .csv with a header row.")
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
    field = fields.Selection('get_fields', "Field",
        help="Leave empty to ignore the column.")
    codes = fields.Text("Codes",
        help="Coded values, one per line, e.g. \"1=Male\".")

    @classmethod
    def get_fields(cls):
        return target_selection()


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
                    'callcenter_ticket.msg_import_unreadable_file',
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
                'codes': line.codes}
        columns, _ = match_headers([header], get_targets())
        return {'header': header,
            'field': columns[0].target.name if columns else None}

    def transition_import_(self):
        pool = Pool()
        Import = pool.get('callcenter.customer.import')
        mapping = self._save_mapping()
        job, = Import.create([{
                    'file': self.start.file,
                    'filename': self.start.filename,
                    'duplicates': self.start.duplicates,
                    'mapping': mapping.id if mapping else None,
                    'columns': json.dumps([[l.header, l.field, l.codes]
                            for l in self.map_.lines]),
                    }])
        Import.start([job])
        self.map_.job = job
        return 'open_'

    def _save_mapping(self):
        "Remember the columns under the name given, if any."
        Mapping = Pool().get('callcenter.customer.import.mapping')
        name = (self.map_.save_as or '').strip()
        if not name:
            return None
        lines = [('create', [{'header': l.header, 'field': l.field,
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
