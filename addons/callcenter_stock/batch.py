from trytond.i18n import gettext
from trytond.model import ModelView, Unique, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Bool, Eval, Id
from trytond.transaction import Transaction
from trytond.wizard import (
    Button, StateAction, StateTransition, StateView, Wizard)

from .exceptions import BatchNotReceivedError, BatchPaymentError

PAYMENT_METHODS = [
    (None, ""),
    ('bank_transfer', "Bank Transfer"),
    ('cash', "Cash"),
    ('cheque', "Cheque"),
    ('online', "Online Payment"),
    ('other', "Other"),
    ]


class Configuration(metaclass=PoolMeta):
    __name__ = 'callcenter.stock.configuration'
    batch_sequence = fields.Many2One(
        'ir.sequence', "Batch Sequence", required=True,
        domain=[('sequence_type', '=',
                Id('callcenter_stock', 'sequence_type_batch'))],
        help="Numbers each inbound batch, e.g. RK2026-00001.")

    @classmethod
    def default_batch_sequence(cls):
        pool = Pool()
        ModelData = pool.get('ir.model.data')
        try:
            return ModelData.get_id('callcenter_stock', 'sequence_batch')
        except KeyError:
            return None


class _PaymentMixin:
    __slots__ = ()
    paid = fields.Boolean(
        "Paid", help="The supplier has been paid for this batch.")
    payment_date = fields.Date(
        "Payment Date",
        states={'required': Bool(Eval('paid')),
            'invisible': ~Eval('paid')})
    payment_method = fields.Selection(
        PAYMENT_METHODS, "Payment Method",
        states={'required': Bool(Eval('paid')),
            'invisible': ~Eval('paid')})

    @classmethod
    def default_paid(cls):
        return False

    @classmethod
    def validate_fields(cls, records, field_names):
        super().validate_fields(records, field_names)
        for record in records:
            if not record.paid and (
                    record.payment_date or record.payment_method):
                raise BatchPaymentError(gettext(
                        'callcenter_stock.msg_batch_payment_unpaid',
                        batch=record.rec_name))


class ShipmentIn(_PaymentMixin, metaclass=PoolMeta):
    "Supplier shipment as an inbound batch (入库批次)"
    __name__ = 'stock.shipment.in'
    batch_number = fields.Char(
        "Batch Number", readonly=True,
        help="The unique number of this inbound batch.")
    vendor_returns = fields.One2Many(
        'stock.shipment.in.return', 'batch', "Returns to Vendor",
        readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_constraints += [
            ('batch_number_unique', Unique(t, t.company, t.batch_number),
                'callcenter_stock.msg_batch_number_unique'),
            ]
        cls._buttons.update({
                'return_to_vendor': {
                    'invisible': Eval('state') != 'done',
                    'depends': ['state'],
                    },
                })

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if mode == 'create' and not values.get('batch_number'):
            values['batch_number'] = cls._new_batch_number(
                values.get('company'))
        return values

    @classmethod
    def _new_batch_number(cls, company):
        Configuration = Pool().get('callcenter.stock.configuration')
        config = Configuration(1)
        with Transaction().set_context(company=company):
            return config.batch_sequence.get()

    def get_rec_name(self, name):
        name = super().get_rec_name(name)
        if self.batch_number:
            name = f'{self.batch_number} ({name})'
        return name

    @classmethod
    def search_rec_name(cls, name, clause):
        return ['OR', super().search_rec_name(name, clause),
            ('batch_number',) + tuple(clause[1:])]

    @classmethod
    def copy(cls, shipments, default=None):
        default = dict(default or {})
        default.setdefault('batch_number')
        default.setdefault('paid', False)
        default.setdefault('payment_date')
        default.setdefault('payment_method')
        default.setdefault('vendor_returns')
        return super().copy(shipments, default=default)

    @classmethod
    def pay(cls, batches, date, method):
        "Mark the batches paid on date by method."
        cls.write(batches, {
                'paid': True,
                'payment_date': date,
                'payment_method': method,
                })

    @classmethod
    @ModelView.button_action('callcenter_stock.act_return_to_vendor')
    def return_to_vendor(cls, batches):
        pass

    def _get_vendor_return(self):
        "An unsaved supplier return shipment sending back this batch."
        Return = Pool().get('stock.shipment.in.return')
        if self.state != 'done':
            raise BatchNotReceivedError(gettext(
                    'callcenter_stock.msg_batch_not_received',
                    batch=self.rec_name))
        shipment = Return(
            company=self.company, supplier=self.supplier,
            from_location=self.warehouse_storage,
            to_location=self.supplier.supplier_location,
            reference=self.batch_number, batch=self,
            paid=self.paid, payment_date=self.payment_date,
            payment_method=self.payment_method)
        shipment.moves = [self._get_vendor_return_move(m, shipment)
            for m in self.incoming_moves if m.state == 'done']
        return shipment

    def _get_vendor_return_move(self, move, shipment):
        Move = Pool().get('stock.move')
        return Move(
            product=move.product, unit=move.unit, quantity=move.quantity,
            from_location=shipment.from_location,
            to_location=shipment.to_location,
            company=move.company, origin=move,
            currency=move.currency, unit_price=move.unit_price)


class ShipmentInReturn(_PaymentMixin, metaclass=PoolMeta):
    "Supplier return shipment (退回厂家)"
    __name__ = 'stock.shipment.in.return'
    batch = fields.Many2One(
        'stock.shipment.in', "Batch",
        domain=[
            ('company', '=', Eval('company', -1)),
            ('supplier', '=', Eval('supplier', -1)),
            ],
        states={'readonly': Eval('state') != 'draft'},
        help="The inbound batch these goods came with.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls.paid.string = "Batch Paid"
        cls.paid.help = ("Whether the supplier had been paid for the "
            "returned goods, so finance knows what to claim back.")


class ReturnToVendor(Wizard):
    "Send goods of a received batch back to its supplier"
    __name__ = 'callcenter.stock.return_to_vendor'
    start = StateAction('stock.act_shipment_in_return_form')

    def do_start(self, action):
        Return = Pool().get('stock.shipment.in.return')
        shipments = [b._get_vendor_return() for b in self.records]
        Return.save(shipments)
        action['views'].reverse()
        return action, {'res_id': [s.id for s in shipments]}


class MergePaymentStart(ModelView):
    "Pick the unpaid batches of a supplier to pay at once"
    __name__ = 'callcenter.stock.merge_payment.start'
    company = fields.Many2One('company.company', "Company", readonly=True)
    supplier = fields.Many2One(
        'party.party', "Supplier", required=True,
        context={'company': Eval('company', -1)}, depends=['company'])
    batches = fields.Many2Many(
        'stock.shipment.in', None, None, "Batches", required=True,
        domain=[
            ('company', '=', Eval('company', -1)),
            ('supplier', '=', Eval('supplier', -1)),
            ('paid', '=', False),
            ('state', '!=', 'cancelled'),
            ],
        help="The unpaid batches of the supplier to mark paid.")
    payment_date = fields.Date("Payment Date", required=True)
    payment_method = fields.Selection(
        PAYMENT_METHODS[1:], "Payment Method", required=True)

    @fields.depends('company', 'supplier', 'batches')
    def on_change_supplier(self):
        ShipmentIn = Pool().get('stock.shipment.in')
        self.batches = ShipmentIn.search(
            self._unpaid_domain()) if self.supplier else []

    def _unpaid_domain(self):
        return [
            ('company', '=', self.company.id if self.company else -1),
            ('supplier', '=', self.supplier.id),
            ('paid', '=', False),
            ('state', '!=', 'cancelled'),
            ]


class MergePayment(Wizard):
    "Mark all the chosen unpaid batches of a supplier paid (合并付款)"
    __name__ = 'callcenter.stock.merge_payment'
    start = StateView(
        'callcenter.stock.merge_payment.start',
        'callcenter_stock.merge_payment_start_view_form', [
            Button("Cancel", 'end', 'tryton-cancel'),
            Button("Pay", 'pay', 'tryton-ok', default=True),
            ])
    pay = StateTransition()

    def default_start(self, fields):
        pool = Pool()
        Date = pool.get('ir.date')
        values = {
            'company': Transaction().context.get('company'),
            'payment_date': Date.today(),
            'payment_method': 'bank_transfer',
            }
        unpaid = [b for b in (self.records or [])
            if self.model and self.model.__name__ == 'stock.shipment.in'
            and not b.paid and b.state != 'cancelled']
        suppliers = {b.supplier for b in unpaid}
        if len(suppliers) == 1:
            values['supplier'] = unpaid[0].supplier.id
            values['company'] = unpaid[0].company.id
            values['batches'] = [b.id for b in unpaid]
        return values

    def transition_pay(self):
        ShipmentIn = Pool().get('stock.shipment.in')
        batches = [b for b in self.start.batches
            if b.supplier == self.start.supplier and not b.paid]
        ShipmentIn.pay(
            batches, self.start.payment_date, self.start.payment_method)
        return 'end'

    def end(self):
        return 'reload'
