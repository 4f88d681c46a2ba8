"Who sees which orders: agents their own, leaders their team's, sales all."
from decimal import Decimal

from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import _DBTestCase, with_transaction
from trytond.transaction import Transaction

from .tools import create_customer, create_product, create_user, setup_sales


class RolesTestCase(_DBTestCase):
    "Roles on orders"
    module = 'callcenter_stock'

    @with_transaction()
    def test_orders_seen_per_role(self):
        pool = Pool()
        Sale = pool.get('sale.sale')
        Team = pool.get('callcenter.team')
        company = create_company()
        agent = create_user('agent', company, 'group_agent')
        other = create_user('other', company, 'group_agent')
        leader = create_user('leader', company, 'group_team_leader')
        sales = create_user('sales', company, 'callcenter_stock.group_sales')
        store = create_user(
            'store', company, 'callcenter_stock.group_warehouse')
        Team.create([{'name': "Orders", 'leader': leader.id,
                    'company': company.id,
                    'members': [('add', [leader.id, agent.id])]}])
        with set_company(company):
            setup_sales()
            wang = create_customer()
            tea = create_product("柠檬茶")
            orders = {}
            for user in [agent, other]:
                with Transaction().set_user(user.id), \
                        Transaction().set_context(_check_access=True):
                    sale = Sale(party=wang)
                    sale.on_change_party()
                    sale.lines = [{'product': tea.id, 'quantity': 1,
                            'unit': tea.default_uom.id,
                            'unit_price': Decimal('12')}]
                    sale.save()
                    orders[user.login] = sale
            seen = {}
            for user in [agent, other, leader, sales, store]:
                with Transaction().set_user(user.id), \
                        Transaction().set_context(_check_access=True):
                    seen[user.login] = {
                        s.taken_by.login for s in Sale.search([])}
            self.assertEqual(seen, {
                    'agent': {'agent'},
                    'other': {'other'},
                    'leader': {'agent'},
                    'sales': {'agent', 'other'},
                    'store': {'agent', 'other'},
                    })
            with Transaction().set_user(other.id), \
                    Transaction().set_context(_check_access=True):
                with self.assertRaises(Exception):
                    Sale.write([Sale(orders['agent'].id)],
                        {'comment': "Not mine"})
            with Transaction().set_user(store.id), \
                    Transaction().set_context(_check_access=True):
                with self.assertRaises(Exception):
                    Sale.write([Sale(orders['agent'].id)],
                        {'comment': "Warehouse may only read"})


del _DBTestCase
