from sql import Cast, Null
from sql.conditionals import Case, Coalesce
from sql.operators import Like

from trytond.model import ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.pyson import Eval

OPERATIONS = [
    ('inbound', "Inbound"),
    ('consumption', "Consumption"),
    ('restore', "Restore"),
    ('vendor_return', "Return to Vendor"),
    ]


class StockHistory(ModelSQL, ModelView):
    "A stock operation by type: inbound, consumption, restore, return"
    __name__ = 'callcenter.stock.history'
    __string__ = "Stock History"
    company = fields.Many2One('company.company', "Company", readonly=True)
    operation = fields.Selection(OPERATIONS, "Operation", readonly=True,
        help="Inbound: received from a supplier. Consumption: shipped to "
        "a customer. Restore: back from a customer or released by a "
        "cancelled order. Return to Vendor: sent back to a supplier.")
    product = fields.Many2One('product.product', "Product", readonly=True,
        context={'company': Eval('company', -1)}, depends={'company'})
    quantity = fields.Float("Quantity", digits='unit', readonly=True)
    unit = fields.Many2One('product.uom', "Unit", readonly=True)
    date = fields.Date("Date", readonly=True)
    document = fields.Reference(
        "Document", selection='get_documents', readonly=True,
        help="The shipment the goods moved with.")
    origin = fields.Reference(
        "Origin", selection='get_origins', readonly=True)
    user = fields.Many2One('res.user', "User", readonly=True,
        help="Who did the operation.")
    move = fields.Many2One('stock.move', "Stock Move", readonly=True)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._order = [('date', 'DESC'), ('id', 'DESC')]

    @classmethod
    def get_documents(cls):
        return Pool().get('stock.move').get_shipment()

    @classmethod
    def get_origins(cls):
        return Pool().get('stock.move').get_origin()

    @classmethod
    def table_query(cls):
        pool = Pool()
        move = pool.get('stock.move').__table__()
        from_ = pool.get('stock.location').__table__()
        to = pool.get('stock.location').__table__()
        operation = cls._operation_case(move, from_, to)
        query = move.join(from_, condition=move.from_location == from_.id
            ).join(to, condition=move.to_location == to.id
            ).select(
                move.id.as_('id'),
                move.create_uid.as_('create_uid'),
                move.create_date.as_('create_date'),
                move.write_uid.as_('write_uid'),
                move.write_date.as_('write_date'),
                move.company.as_('company'),
                operation.as_('operation'),
                move.product.as_('product'),
                move.quantity.as_('quantity'),
                move.unit.as_('unit'),
                Coalesce(move.effective_date, Cast(Coalesce(
                            move.write_date, move.create_date), 'DATE')
                    ).as_('date'),
                move.shipment.as_('document'),
                move.origin.as_('origin'),
                Coalesce(move.write_uid, move.create_uid).as_('user'),
                move.id.as_('move'),
                where=operation != Null)
        return query

    @classmethod
    def _operation_case(cls, move, from_, to):
        done = move.state == 'done'
        # an order's shipment cancelled before it left: stock restored
        released = ((move.state == 'cancelled')
            & Like(move.origin, 'sale.line,%'))
        return Case(
            (done & (from_.type == 'supplier') & (to.type == 'storage'),
                'inbound'),
            (done & (from_.type == 'storage') & (to.type == 'customer'),
                'consumption'),
            ((done & (from_.type == 'customer') & (to.type == 'storage'))
                | (released & (to.type == 'customer')),
                'restore'),
            (done & (from_.type == 'storage') & (to.type == 'supplier'),
                'vendor_return'),
            else_=Null)
