"""Orders taken on calls and tickets: the sale, its lines' forecast, the
replenishment a shortage raises and the agent told when goods arrive."""
import datetime as dt

from trytond.i18n import gettext
from trytond.model import ModelView, fields
from trytond.modules.callcenter_base.notify import Notice, notify
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Eval
from trytond.transaction import Transaction, without_check_access
from trytond.wizard import StateAction, Wizard


def _configuration():
    return Pool().get('callcenter.stock.configuration')(1)


class Sale(metaclass=PoolMeta):
    __name__ = 'sale.sale'
    ticket = fields.Many2One(
        'callcenter.ticket', "Ticket", ondelete='SET NULL',
        domain=[('party', '=', Eval('party', -1))],
        states={'readonly': Eval('state') != 'draft'},
        help="The ticket the order was taken on.")
    taken_by = fields.Many2One(
        'res.user', "Taken by", readonly=True,
        help="The user who took the order; told when goods it waits "
        "for arrive.")

    @staticmethod
    def default_taken_by():
        return Transaction().user or None

    @classmethod
    def default_warehouse(cls):
        config = _configuration()
        if config.warehouse:
            return config.warehouse.id
        return super().default_warehouse()

    @classmethod
    def copy(cls, sales, default=None):
        default = default.copy() if default else {}
        default.setdefault('ticket', None)
        default.setdefault('taken_by', Transaction().user or None)
        return super().copy(sales, default=default)

    def check_stock_quantity(self):
        "Selling without stock, agents are not stopped by the forecast."
        if _configuration().sell_without_stock:
            return
        super().check_stock_quantity()

    @classmethod
    def _process_supply(cls, sales, product_quantities):
        """Know the forecast of the products the settings replenish, as
        sale_supply does for its "stock first" products."""
        pool = Pool()
        Product = pool.get('product.product')
        missing = {l.product for s in sales for l in s.lines
            if l.product and l._replenished_by_settings()
            and l.product not in product_quantities}
        for sale in sales:
            products = [p for p in missing
                if any(l.product == p for l in sale.lines)]
            if not products or not sale.warehouse:
                continue
            with Transaction().set_context(
                    company=sale.company.id, locations=[sale.warehouse.id],
                    stock_assign=True, stock_date_end=None):
                product_quantities.update(
                    (p, p.forecast_quantity) for p in Product.browse(products))
            missing.difference_update(products)
        super()._process_supply(sales, product_quantities)

    def create_purchase_requests(self, product_quantities):
        "Requests merged into an open one are saved once."
        requests, lines = super().create_purchase_requests(product_quantities)
        unique = []
        for request in requests:
            if request not in unique:
                unique.append(request)
        return unique, lines

    def notify_supplied(self, lines):
        """Tell the user who took the order that the goods it waited for
        arrived, then the customer (``tell_customer_supplied``)."""
        user = self.taken_by or self.create_uid
        if user:
            products = ', '.join(sorted({l.product.rec_name for l in lines}))
            notify([Notice(user, self, gettext(
                            'callcenter_stock.msg_order_supplied',
                            order=self.rec_name, products=products),
                        gettext('callcenter_stock.msg_order_supplied_body',
                            customer=self.party.rec_name))],
                bus_type='callcenter.order_supplied')
        self.tell_customer_supplied(lines)

    def tell_customer_supplied(self, lines):
        """Hook for telling the customer that their order will ship (an
        SMS by the messaging module); nothing by default."""
        pass


class Line(metaclass=PoolMeta):
    __name__ = 'sale.line'
    forecast_quantity = fields.Function(fields.Float(
            "Forecast Quantity", digits='unit',
            help="The stock expected in the warehouse at the shipping date, "
            "as the order confirmation counts it."),
        'on_change_with_forecast_quantity')
    next_supply_date = fields.Function(fields.Date(
            "Next Supply",
            help="The earliest date a purchase ordered now can arrive."),
        'on_change_with_next_supply_date')

    @fields.depends('product', 'type', 'shipping_date', 'sale',
        '_parent_sale.warehouse', '_parent_sale.company')
    def on_change_with_forecast_quantity(self, name=None):
        pool = Pool()
        Date = pool.get('ir.date')
        Product = pool.get('product.product')
        if (self.type != 'line' or not self.product
                or self.product.type != 'goods'
                or not self.sale or not self.sale.warehouse):
            return None
        company = self.sale.company.id if self.sale.company else None
        with Transaction().set_context(company=company):
            today = Date.today()
        # sale_stock_quantity's forecast: the warehouse at the shipping date
        with Transaction().set_context(
                company=company, locations=[self.sale.warehouse.id],
                stock_date_end=self.shipping_date or today):
            return Product(self.product.id).forecast_quantity

    @fields.depends('product', 'type')
    def on_change_with_next_supply_date(self, name=None):
        Sale = Pool().get('sale.sale')
        if self.type != 'line' or not self.product:
            return None
        date = Sale._stock_quantity_next_supply_date(self.product)
        return None if date == dt.date.max else date

    def _replenished_by_settings(self):
        "A product with no supply rule of its own, replenished by settings."
        if not self.product or self.product.supply_on_sale:
            return False
        config = _configuration()
        return bool(config.sell_without_stock and config.replenish_shortage
            and self.product.purchasable and self.product.type == 'goods'
            and not self.product.consumable)

    @property
    def supply_on_sale(self):
        supply = super().supply_on_sale
        if supply or self.type != 'line' or not self.product:
            return supply
        if (self.sale.shipment_method == 'manual'
                or self.quantity is None or self.quantity <= 0
                or any(m.state not in ['staging', 'cancelled']
                    for m in self.moves)):
            return False
        return self._replenished_by_settings()

    def get_purchase_request(self, product_quantities):
        """A shortage raises one request: more orders for the product add
        to the request not yet purchased."""
        pool = Pool()
        Uom = pool.get('product.uom')
        Request = pool.get('purchase.request')
        if (self._replenished_by_settings() and self.supply_on_sale
                and not self.purchase_request and self.ready_for_supply):
            product = self.product
            quantity = self._get_move_quantity('out')
            available = product_quantities[product]
            if available >= Uom.compute_qty(
                    self.unit, quantity, product.default_uom, round=False):
                product_quantities[product] -= Uom.compute_qty(
                    self.unit, quantity, product.default_uom, round=False)
                return
        request = super().get_purchase_request(product_quantities)
        if request and self._replenished_by_settings():
            with without_check_access():
                open_, = Request.search([
                        ('product', '=', request.product.id),
                        ('company', '=', request.company.id),
                        ('warehouse', '=', request.warehouse.id),
                        ('state', '=', 'draft'),
                        ('purchase_line', '=', None),
                        ('origin', 'like', 'sale.sale,%'),
                        ], order=[('id', 'ASC')], limit=1) or [None]
            if open_:
                open_.quantity += Uom.compute_qty(
                    request.unit, request.quantity, open_.unit)
                open_.computed_quantity = open_.quantity
                if (request.supply_date and (not open_.supply_date
                            or request.supply_date < open_.supply_date)):
                    open_.supply_date = request.supply_date
                return open_
        return request


class OrderSource:
    """A record orders are taken from (customer, ticket, call): its *New
    Order* button and its orders, which a copy does not take along."""
    __slots__ = ()
    _orders_field = 'sales'
    _new_order_states = {}

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._buttons.update({'new_order': dict(cls._new_order_states)})

    @classmethod
    @ModelView.button_action('callcenter_stock.wizard_new_order')
    def new_order(cls, records):
        pass

    @classmethod
    def copy(cls, records, default=None):
        default = default.copy() if default else {}
        default.setdefault(cls._orders_field, None)
        return super().copy(records, default=default)


class Party(OrderSource, metaclass=PoolMeta):
    __name__ = 'party.party'
    _orders_field = 'sale_orders'
    sale_orders = fields.One2Many(
        'sale.sale', 'party', "Orders", readonly=True,
        help="The customer's orders.")


class Ticket(OrderSource, metaclass=PoolMeta):
    __name__ = 'callcenter.ticket'
    _new_order_states = {
        'invisible': ~Eval('party'),
        'depends': ['party'],
        }
    sales = fields.One2Many(
        'sale.sale', 'ticket', "Orders", readonly=True,
        help="The orders taken on the ticket.")


class NewOrder(Wizard):
    "A draft order prefilled from a customer, a ticket or a call."
    __name__ = 'callcenter.stock.new_order'
    start_state = 'open_'
    open_ = StateAction('sale.act_sale_form')

    def do_open_(self, action):
        sale = self.new_sale(self.record)
        sale.save()
        action['res_id'] = [sale.id]
        action['views'].reverse()
        return action, {}

    @classmethod
    def sale_values(cls, record):
        "The party, ticket (and call, with CTI) the order comes from."
        if record.__name__ == 'party.party':
            return {'party': record}
        if record.__name__ == 'callcenter.ticket':
            return {'party': record.party, 'ticket': record}
        return {}

    def new_sale(self, record):
        Sale = Pool().get('sale.sale')
        values = self.sale_values(record)
        sale = Sale(**{k: v for k, v in values.items() if v is not None})
        for name, value in Sale.default_get(
                ['company', 'currency', 'warehouse', 'taken_by',
                    'invoice_method', 'shipment_method', 'sale_date'],
                with_rec_name=False).items():
            if getattr(sale, name, None) is None:
                setattr(sale, name, value)
        if sale.party:
            sale.on_change_party()
        return sale
