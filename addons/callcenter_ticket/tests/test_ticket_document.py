"Word output of a ticket and the Excel list of tickets."
import importlib.util
from io import BytesIO
from pathlib import Path

from docx import Document
from openpyxl import load_workbook

from trytond.exceptions import UserError
from trytond.model.exceptions import AccessError
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import _DBTestCase, with_transaction
from trytond.transaction import Transaction

from .tools import create_ticket, create_type, create_user

TEMPLATE_SCRIPT = (Path(__file__).parents[1] / 'template'
    / 'make_ticket_document.py')


def build_default_template():
    "The document make_ticket_document.py builds."
    spec = importlib.util.spec_from_file_location(
        'make_ticket_document', TEMPLATE_SCRIPT)
    script = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(script)
    return script.build()


def docx_text(content):
    "Every paragraph and table cell text of a .docx, in order."
    document = Document(BytesIO(content))
    texts = [p.text for p in document.paragraphs]
    for table in document.tables:
        for row in table.rows:
            texts.extend(c.text for c in row.cells)
    return document, texts


def customer_ticket():
    "A ticket of customer Alice moved through three steps."
    pool = Pool()
    Party = pool.get('party.party')
    Ticket = pool.get('callcenter.ticket')
    alice, = Party.create([{'name': "Alice Wang",
                'contact_mechanisms': [('create', [
                            {'type': 'phone', 'value': '+32 2 555 12 34'}])]}])
    ticket = create_ticket(create_type(), "Router keeps rebooting",
        party=alice.id, description="Since Monday.")
    Ticket.submit([ticket])
    Ticket.accept([ticket])
    return ticket


class TicketDocumentTestCase(_DBTestCase):
    "Test ticket documents and spreadsheets"
    module = 'callcenter_ticket'

    def print_(self, report_name, tickets):
        Report = Pool().get(report_name, type='report')
        return Report.execute([t.id for t in tickets], {})

    @with_transaction()
    def test_document_has_ticket_customer_and_history(self):
        "The Word document shows number, subject, customer and each step"
        company = create_company()
        with set_company(company):
            ticket = customer_ticket()
            oext, content, _, name = self.print_(
                'callcenter.ticket.document', [ticket])
        self.assertEqual(oext, 'docx')
        document, texts = docx_text(content)
        self.assertIn(f"工单 Ticket {ticket.number}", texts)
        self.assertIn("Router keeps rebooting", texts)
        self.assertIn("Alice Wang", texts)
        self.assertIn("+32 2 555 12 34", texts)
        history = document.tables[1]
        self.assertEqual(len(history.rows), 1 + 3)
        self.assertEqual(
            [row.cells[3].text for row in history.rows[1:]],
            ["Draft", "Open", "In Progress"])
        self.assertFalse([t for t in texts if '{{' in t])

    @with_transaction()
    def test_uploaded_template_replaces_default(self):
        "An admin's template is used, split placeholders included"
        Configuration = Pool().get('callcenter.ticket.configuration')
        template = Document()
        paragraph = template.add_paragraph("Case ")
        paragraph.add_run("{{num").bold = True
        paragraph.add_run("ber}} for {{customer}}")
        output = BytesIO()
        template.save(output)
        company = create_company()
        with set_company(company):
            Configuration.write([Configuration(1)], {
                    'document_template': output.getvalue(),
                    'document_template_name': 'mine.docx'})
            ticket = customer_ticket()
            _, content, _, _ = self.print_(
                'callcenter.ticket.document', [ticket])
        _, texts = docx_text(content)
        self.assertEqual(texts, [f"Case {ticket.number} for Alice Wang"])

    @with_transaction()
    def test_invalid_template_refused(self):
        "A file that is not a .docx is refused with its name"
        Configuration = Pool().get('callcenter.ticket.configuration')
        with self.assertRaises(UserError) as cm:
            Configuration.write([Configuration(1)], {
                    'document_template': b'not a word file',
                    'document_template_name': 'notes.txt'})
        self.assertIn("notes.txt", cm.exception.message)

    @with_transaction()
    def test_default_template_is_the_shipped_one(self):
        "The shipped template is what make_ticket_document.py builds"
        Configuration = Pool().get('callcenter.ticket.configuration')
        _, shipped = docx_text(Configuration(1).get_document_template())
        output = BytesIO()
        build_default_template().save(output)
        self.assertEqual(shipped, docx_text(output.getvalue())[1])

    @with_transaction()
    def test_spreadsheet_lists_selected_tickets(self):
        "The .xlsx has a header row and one row per selected ticket"
        company = create_company()
        with set_company(company):
            ticket = customer_ticket()
            other = create_ticket(ticket.type, "Second")
            create_ticket(ticket.type, "Not selected")
            oext, content, _, _ = self.print_(
                'callcenter.ticket.spreadsheet', [ticket, other])
        self.assertEqual(oext, 'xlsx')
        sheet = load_workbook(BytesIO(content)).active
        rows = list(sheet.iter_rows(values_only=True))
        self.assertEqual(rows[0][:4], ("Number", "Subject", "Type", "State"))
        self.assertEqual(len(rows), 3)
        self.assertEqual(rows[1][:6], (ticket.number,
                "Router keeps rebooting", "Complaint", "In Progress",
                "Normal", "Alice Wang"))
        self.assertEqual(rows[2][1], "Second")

    @with_transaction()
    def test_agent_prints_only_visible_tickets(self):
        "An agent prints their ticket but not another agent's"
        company = create_company()
        with set_company(company):
            agent = create_user('agent', company, 'group_agent')
            other = create_user('other', company, 'group_agent')
            type_ = create_type()
            own = create_ticket(type_, "Mine", assignee=agent.id)
            foreign = create_ticket(type_, "Theirs", assignee=other.id)
            with Transaction().set_user(agent.id), \
                    Transaction().set_context(_check_access=True):
                for report in ['callcenter.ticket.document',
                        'callcenter.ticket.spreadsheet']:
                    self.assertTrue(self.print_(report, [own])[1])
                    with self.assertRaises(AccessError):
                        self.print_(report, [foreign])

    @with_transaction()
    def test_user_without_group_cannot_print(self):
        "A user outside the call-center groups cannot print tickets"
        User = Pool().get('res.user')
        company = create_company()
        with set_company(company):
            ticket = customer_ticket()
            user, = User.create([{'login': 'clerk', 'name': "Clerk",
                        'companies': [('add', [company.id])],
                        'company': company.id}])
            with Transaction().set_user(user.id), \
                    Transaction().set_context(_check_access=True):
                with self.assertRaises(AccessError):
                    self.print_('callcenter.ticket.spreadsheet', [ticket])


del _DBTestCase
