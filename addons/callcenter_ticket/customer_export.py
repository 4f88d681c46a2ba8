"""Customers ▸ Export Customers: an .xlsx with the columns of a layout.

A layout is a named, ordered list of columns (the same fields the import
fills), so the next export gives the same header in the same order.
"""
import io

from trytond.model import (
    ModelSQL, ModelView, Unique, fields, sequence_ordered)
from trytond.pool import Pool
from trytond.transaction import Transaction
from trytond.wizard import Button, StateTransition, StateView, Wizard

from .importer.customer import ATTRIBUTE_PREFIX, target_selection


class CustomerExportLayout(ModelSQL, ModelView):
    "Columns of a customer export, in order, under a name."
    __name__ = 'callcenter.customer.export.layout'
    __string__ = "Customer Export Layout"
    name = fields.Char("Name", required=True)
    company = fields.Many2One('company.company', "Company", required=True)
    columns = fields.One2Many(
        'callcenter.customer.export.column', 'layout', "Columns",
        help="The columns of the file, in this order.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('name_company_unique', Unique(t, t.name, t.company),
                'callcenter_ticket.msg_export_layout_name_unique'),
            ]

    @staticmethod
    def default_company():
        return Transaction().context.get('company')


class CustomerExportColumn(sequence_ordered(), ModelSQL, ModelView):
    "A column of an export layout."
    __name__ = 'callcenter.customer.export.column'
    __string__ = "Customer Export Column"
    layout = fields.Many2One('callcenter.customer.export.layout', "Layout",
        required=True, ondelete='CASCADE')
    field = fields.Selection('get_fields', "Field", required=True)
    header = fields.Char("Header", help="Leave empty for the field's label.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        # Model.__setup__ resets __access__: a class attribute is lost.
        cls.__access__.add('layout')

    @classmethod
    def get_fields(cls):
        return target_selection()[1:]

    def get_header(self):
        return self.header or dict(target_selection()).get(
            self.field, self.field)


SELECTIONS = ('customer_level', 'service_level', 'source_channel')


def selection_labels():
    "Value → label of the customer selections, in the user's language."
    Party = Pool().get('party.party')
    described = Party.fields_get(list(SELECTIONS))
    return {n: dict(described[n]['selection']) for n in SELECTIONS}


def cell(party, name, labels):
    "The text of column ``name`` for the customer."
    if name.startswith(ATTRIBUTE_PREFIX):
        return (party.cc_attributes or {}).get(name[len(ATTRIBUTE_PREFIX):])
    if name in {'phone', 'mobile', 'email'}:
        return ', '.join(m.value for m in party.contact_mechanisms
            if m.type == name) or None
    if name in {'street', 'city', 'postal_code', 'country'}:
        address = party.addresses[0] if party.addresses else None
        value = getattr(address, name, None) if address else None
        return value.rec_name if name == 'country' and value else value
    if name == 'customer_group':
        return ', '.join(g.name for g in party.customer_groups) or None
    if name in labels:
        return labels[name].get(getattr(party, name)) or None
    return getattr(party, name)


def write_xlsx(parties, columns):
    "The .xlsx bytes: one header row, one row per customer."
    import openpyxl
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Customers")
    sheet.append([c.get_header() for c in columns])
    labels = selection_labels()
    for party in parties:
        sheet.append([cell(party, c.field, labels) for c in columns])
    output = io.BytesIO()
    book.save(output)
    return output.getvalue()


class CustomerExportStart(ModelView):
    "Choose the layout"
    __name__ = 'callcenter.customer.export.start'
    layout = fields.Many2One('callcenter.customer.export.layout', "Layout",
        required=True)


class CustomerExportResult(ModelView):
    "The exported file"
    __name__ = 'callcenter.customer.export.result'
    file = fields.Binary("File", filename='filename', readonly=True)
    filename = fields.Char("File Name", readonly=True)


class CustomerExportWizard(Wizard):
    "Export Customers"
    __name__ = 'callcenter.customer.export.wizard'
    start = StateView('callcenter.customer.export.start',
        'callcenter_ticket.customer_export_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Export", 'export', 'tryton-ok', default=True),
            ])
    export = StateTransition()
    result = StateView('callcenter.customer.export.result',
        'callcenter_ticket.customer_export_result_view_form', [
            Button("Close", 'end', 'tryton-close', default=True),
            ])

    def transition_export(self):
        Party = Pool().get('party.party')
        ids = Transaction().context.get('active_ids') or []
        parties = Party.browse(ids) if ids else Party.search([])
        layout = self.start.layout
        self.result.file = write_xlsx(parties, layout.columns)
        self.result.filename = '%s.xlsx' % layout.name
        return 'result'

    def default_result(self, fields):
        return {'file': self.result.file, 'filename': self.result.filename}
