"Contacts working for one or more company customers, each in a role."
from trytond.exceptions import UserError
from trytond.model.exceptions import DomainValidationError
from trytond.pool import Pool
from trytond.tests.test_tryton import _DBTestCase, with_transaction


class ContactRoleTestCase(_DBTestCase):
    "Test contact roles"
    module = 'callcenter_ticket'

    @with_transaction()
    def test_contact_in_two_companies(self):
        "A contact works for two companies, in a role at each"
        Party = Pool().get('party.party')
        acme, pacific = Party.create([
                {'name': "Acme Trading", 'customer_kind': 'company'},
                {'name': "Pacific Foods", 'customer_kind': 'company'}])
        wang, = Party.create([{'name': "王芳", 'companies': [('create', [
                            {'company': acme.id, 'role': "buyer"},
                            {'company': pacific.id, 'role': "director"}])]}])
        self.assertEqual(wang.customer_kind, 'person')
        self.assertEqual(
            sorted((r.company.name, r.role) for r in wang.companies),
            [("Acme Trading", "buyer"), ("Pacific Foods", "director")])
        self.assertEqual([(r.contact.name, r.role) for r in acme.contacts],
            [("王芳", "buyer")])

    @with_transaction()
    def test_company_only_once_per_contact(self):
        "A contact is linked to a company once; a person is no company"
        pool = Pool()
        Party = pool.get('party.party')
        Role = pool.get('callcenter.customer.contact_role')
        acme, = Party.create([
                {'name': "Acme Trading", 'customer_kind': 'company'}])
        wang, li = Party.create([{'name': "王芳"}, {'name': "李强"}])
        Role.create([{'contact': wang.id, 'company': acme.id}])
        with self.assertRaises(DomainValidationError):
            Role.create([{'contact': wang.id, 'company': li.id}])
        with self.assertRaises(UserError):   # last: it aborts the SQL
            Role.create([{'contact': wang.id, 'company': acme.id}])


del _DBTestCase
