from trytond.modules.company.tests import (
    CompanyTestMixin, create_company, set_company)
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction


class CallCenterTicketTestCase(CompanyTestMixin, ModuleTestCase):
    "Test Call Center Ticket module"
    module = 'callcenter_ticket'

    @with_transaction()
    def test_ticket_types_ordered_by_sequence(self):
        "Ticket types are listed in the order the admin chose"
        Type = Pool().get('callcenter.ticket.type')
        company = create_company()
        with set_company(company):
            Type.create([
                    {'name': "Complaint", 'sequence': 20},
                    {'name': "Consult", 'sequence': 10},
                    ])
            self.assertEqual(
                [t.name for t in Type.search([])], ["Consult", "Complaint"])


del ModuleTestCase
