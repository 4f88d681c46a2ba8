from trytond.model import ModelSingleton, ModelSQL, ModelView, fields
from trytond.modules.callcenter_base.model_data import prepare_module_data


class Configuration(ModelSingleton, ModelSQL, ModelView):
    "How orders taken on calls meet the stock."
    __name__ = 'callcenter.stock.configuration'
    __string__ = "Orders and Stock Settings"
    warehouse = fields.Many2One(
        'stock.location', "Warehouse",
        domain=[('type', '=', 'warehouse')],
        help="The warehouse that ships orders taken on calls.")
    sell_without_stock = fields.Boolean(
        "Sell without Stock",
        help="Accept orders for products that are out of stock.")
    replenish_shortage = fields.Boolean(
        "Replenish Shortages",
        help="Raise a purchase request for warehouse staff when an order "
        "takes more than the stock.")

    @classmethod
    def __register__(cls, module):
        prepare_module_data(module)
        super().__register__(module)

    @staticmethod
    def default_sell_without_stock():
        return True

    @staticmethod
    def default_replenish_shortage():
        return True
