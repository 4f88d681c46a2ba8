"""A ticket as a Word document, from a template admins can replace."""
import datetime as dt
from pathlib import Path

from trytond.i18n import gettext
from trytond.model import fields
from trytond.pool import Pool, PoolMeta
from trytond.report import Report

from . import ticket_document_render as render
from .business_hours import to_local
from .exceptions import DocumentTemplateError

DEFAULT_TEMPLATE = Path(__file__).parent / 'template' / 'ticket_document.docx'
DATETIME_FORMAT = '%Y-%m-%d %H:%M'


class Configuration(metaclass=PoolMeta):
    __name__ = 'callcenter.ticket.configuration'
    document_template = fields.Binary(
        "Document Template", filename='document_template_name',
        help="A Word (.docx) file with {{number}}, {{subject}}, "
        "{{customer}}… placeholders and a table row of {{history.date}}… "
        "placeholders; leave empty to use the default template.")
    document_template_name = fields.Char("Document Template Name")

    @classmethod
    def validate_fields(cls, configurations, field_names):
        super().validate_fields(configurations, field_names)
        if 'document_template' in field_names:
            cls.check_document_template(configurations)

    @classmethod
    def check_document_template(cls, configurations):
        for configuration in configurations:
            if not configuration.document_template:
                continue
            try:
                render.check(bytes(configuration.document_template))
            except ValueError:
                raise DocumentTemplateError(gettext(
                        'callcenter_ticket.msg_document_template_invalid',
                        name=configuration.document_template_name or ''))

    def get_document_template(self):
        "The uploaded template, or the default one of the module."
        if self.document_template:
            return bytes(self.document_template)
        return DEFAULT_TEMPLATE.read_bytes()


class TicketDocument(Report):
    "The ticket, its customer and its history as a Word document."
    __name__ = 'callcenter.ticket.document'

    @classmethod
    def _execute(cls, records, header, data, action):
        Configuration = Pool().get('callcenter.ticket.configuration')
        Ticket = Pool().get('callcenter.ticket')
        ticket = Ticket(int(records[0]))
        template = Configuration(1).get_document_template()
        return 'docx', render.fill(template,
            cls.get_values(ticket), cls.get_history_rows(ticket))

    @classmethod
    def get_values(cls, ticket):
        "The placeholders of the document and their text."
        party = ticket.party
        when = _formatter(ticket)
        return {
            'number': ticket.number,
            'subject': ticket.subject,
            'description': ticket.description,
            'type': ticket.type.rec_name,
            'state': _selection(ticket, 'state'),
            'priority': ticket.priority_string,
            'channel': _selection(ticket, 'channel'),
            'customer': party.rec_name if party else '',
            'customer_phone': _phone(party),
            'customer_address': _address(party),
            'contact': ticket.contact.rec_name if ticket.contact else '',
            'assignee': ticket.assignee.rec_name if ticket.assignee else '',
            'team': ticket.team.rec_name if ticket.team else '',
            'company': ticket.company.rec_name,
            'opened_at': when(ticket.opened_at),
            'response_due': when(ticket.response_due),
            'resolution_due': when(ticket.resolution_due),
            'resolved_at': when(ticket.resolved_at),
            'printed_at': when(dt.datetime.now()),
            }

    @classmethod
    def get_history_rows(cls, ticket):
        when = _formatter(ticket)
        return [{
                'date': when(h.date),
                'user': h.user.rec_name if h.user else '',
                'from_state': _selection(h, 'from_state'),
                'to_state': _selection(h, 'to_state'),
                'assignee': h.to_assignee.rec_name if h.to_assignee else '',
                'comment': h.comment,
                } for h in ticket.history]


def _formatter(ticket):
    "Format UTC datetimes in the company's time zone."
    timezone = ticket.company.timezone if ticket.company else None

    def format_(value):
        if not value:
            return ''
        return to_local(value, timezone).strftime(DATETIME_FORMAT)
    return format_


def _selection(record, name):
    "The translated label of a selection field's value."
    value = getattr(record, name)
    selection = record.fields_get([name])[name]['selection']
    return dict(selection).get(value, value or '')


def _phone(party):
    if not party:
        return ''
    for mechanism in party.contact_mechanisms:
        if mechanism.type in {'phone', 'mobile'}:
            return mechanism.value
    return ''


def _address(party):
    if not party or not party.addresses:
        return ''
    return party.addresses[0].full_address.replace('\n', ', ')
