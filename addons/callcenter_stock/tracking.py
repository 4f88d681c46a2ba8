from trytond.model import fields
from trytond.pool import PoolMeta
from trytond.pyson import Eval
from trytond.transaction import without_check_access


class Carrier(metaclass=PoolMeta):
    __name__ = 'carrier'
    tracking_url = fields.Char(
        "Tracking URL",
        help="The carrier's tracking page; {number} stands for the "
        "tracking number, e.g. https://www.kuaidi100.com/chaxun?nu={number}")

    def get_tracking_url(self, number):
        "The address of the tracking page of number, or None."
        if self.tracking_url and number:
            return self.tracking_url.replace('{number}', number.strip())


class ShipmentOut(metaclass=PoolMeta):
    __name__ = 'stock.shipment.out'
    carrier = fields.Many2One(
        'carrier', "Carrier",
        states={'readonly': Eval('state').in_(['done', 'cancelled'])},
        help="The courier delivering the goods.")
    tracking_number = fields.Char(
        "Tracking Number",
        states={'readonly': Eval('state') == 'cancelled'},
        help="The courier's number to follow the parcel.")
    tracking_url = fields.Function(fields.Char(
            "Tracking URL", help="Opens the courier's tracking page."),
        'on_change_with_tracking_url')

    @fields.depends('carrier', 'tracking_number')
    def on_change_with_tracking_url(self, name=None):
        if self.carrier:
            return self.carrier.get_tracking_url(self.tracking_number)

    @classmethod
    def copy(cls, shipments, default=None):
        default = dict(default or {})
        default.setdefault('tracking_number')
        return super().copy(shipments, default=default)


class _TrackingMixin:
    __slots__ = ()
    tracking_numbers = fields.Function(fields.Char(
            "Tracking Numbers",
            help="The couriers' numbers of the order's shipments."),
        'get_tracking')
    tracking_url = fields.Function(fields.Char(
            "Tracking URL", help="Opens the courier's tracking page."),
        'get_tracking')

    def _get_tracked_shipments(self):
        raise NotImplementedError

    @without_check_access
    def get_tracking(self, name):
        "Who reads the order or the ticket may follow its parcels."
        shipments = [s for s in self._get_tracked_shipments()
            if s.tracking_number and s.state != 'cancelled']
        if name == 'tracking_numbers':
            return ', '.join(s.tracking_number for s in shipments) or None
        for shipment in shipments:
            if shipment.tracking_url:
                return shipment.tracking_url


class Sale(_TrackingMixin, metaclass=PoolMeta):
    __name__ = 'sale.sale'

    def _get_tracked_shipments(self):
        return list(self.shipments)


class Ticket(_TrackingMixin, metaclass=PoolMeta):
    __name__ = 'callcenter.ticket'

    def _get_tracked_sales(self):
        "The orders of the ticket whose parcels the ticket follows."
        sales = list(self.sales)
        if self.returned_sale and self.returned_sale not in sales:
            sales.append(self.returned_sale)
        return sales

    def _get_tracked_shipments(self):
        return [s for sale in self._get_tracked_sales()
            for s in sale.shipments]
