from trytond.model import DeactivableMixin, ModelSQL, ModelView, fields
from trytond.pyson import Eval
from trytond.transaction import Transaction


class CustomerGroup(DeactivableMixin, ModelSQL, ModelView):
    "A named set of customers, e.g. for a campaign or a service plan."
    __name__ = 'callcenter.customer.group'
    __string__ = "Customer Group"
    name = fields.Char("Name", required=True)
    company = fields.Many2One('company.company', "Company", required=True)
    members = fields.Many2Many(
        'callcenter.customer.group-party.party', 'group', 'party',
        "Members", context={'company': Eval('company', -1)},
        depends={'company'})

    @staticmethod
    def default_company():
        return Transaction().context.get('company')


class CustomerGroupParty(ModelSQL):
    "Membership of a customer in a group."
    __name__ = 'callcenter.customer.group-party.party'
    __string__ = "Customer Group Member"
    group = fields.Many2One(
        'callcenter.customer.group', "Group", required=True,
        ondelete='CASCADE')
    party = fields.Many2One(
        'party.party', "Customer", required=True, ondelete='CASCADE')
