from trytond.model import ModelSQL, ModelView, Unique, fields
from trytond.pyson import Eval

CUSTOMER_KINDS = [
    ('person', "Contact"),
    ('company', "Company"),
    ]


class ContactRole(ModelSQL, ModelView):
    """A contact person working for a company customer, in a role.

    One contact may belong to several companies (a buyer for one, a
    director of another), each with its own role."""
    __name__ = 'callcenter.customer.contact_role'
    __string__ = "Contact Role"
    contact = fields.Many2One(
        'party.party', "Contact", required=True, ondelete='CASCADE',
        domain=[('id', '!=', Eval('company', -1))])
    company = fields.Many2One(
        'party.party', "Company", required=True, ondelete='CASCADE',
        domain=[
            ('customer_kind', '=', 'company'),
            ('id', '!=', Eval('contact', -1)),
            ])
    role = fields.Char("Role", help="e.g. buyer, director, accountant.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('contact_company_unique', Unique(t, t.contact, t.company),
                'callcenter_ticket.msg_contact_role_unique'),
            ]
        cls._order.insert(0, ('company', 'ASC'))
