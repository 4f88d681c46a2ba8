"""The selected tickets as an Excel (.xlsx) list, with openpyxl."""
from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from trytond.pool import Pool
from trytond.report import Report

from .business_hours import to_local

COLUMNS = ['number', 'subject', 'type', 'state', 'priority', 'party',
    'assignee', 'team', 'channel', 'opened_at', 'response_due',
    'responded_at', 'resolution_due', 'resolved_at', 'overdue']


class TicketSpreadsheet(Report):
    "One row per selected ticket, one column per field of COLUMNS."
    __name__ = 'callcenter.ticket.spreadsheet'

    @classmethod
    def _execute(cls, records, header, data, action):
        Ticket = Pool().get('callcenter.ticket')
        tickets = Ticket.browse([int(r) for r in records])
        workbook = Workbook()
        sheet = workbook.active
        sheet.title = action.name[:31]
        definitions = Ticket.fields_get(COLUMNS)
        cls._write_header(sheet, definitions)
        for ticket in tickets:
            sheet.append([cls._cell(ticket, name, definitions[name])
                    for name in COLUMNS])
        sheet.freeze_panes = 'A2'
        output = BytesIO()
        workbook.save(output)
        return 'xlsx', output.getvalue()

    @classmethod
    def _write_header(cls, sheet, definitions):
        "The translated labels of the columns, bold, with widths."
        sheet.append([definitions[name]['string'] for name in COLUMNS])
        for index, name in enumerate(COLUMNS, 1):
            sheet.cell(row=1, column=index).font = Font(bold=True)
            width = 40 if name == 'subject' else 18
            sheet.column_dimensions[get_column_letter(index)].width = width

    @classmethod
    def _cell(cls, ticket, name, definition):
        "The cell value: labels for selections and links, local times."
        value = getattr(ticket, name)
        if definition['type'] == 'selection':
            return dict(definition['selection']).get(value, value)
        if definition['type'] == 'many2one':
            return value.rec_name if value else None
        if definition['type'] == 'datetime' and value:
            timezone = ticket.company.timezone if ticket.company else None
            return to_local(value, timezone)
        return value
