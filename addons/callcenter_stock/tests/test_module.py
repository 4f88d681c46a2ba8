from trytond.modules.company.tests import CompanyTestMixin
from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction


class CallCenterStockTestCase(CompanyTestMixin, ModuleTestCase):
    "Test Call Center Stock module"
    module = 'callcenter_stock'
    extras = ['callcenter_cti']

    @with_transaction()
    def test_configuration_links_warehouse(self):
        "Orders taken on calls ship from the configured warehouse"
        pool = Pool()
        Configuration = pool.get('callcenter.stock.configuration')
        Location = pool.get('stock.location')
        warehouse, = Location.search([('type', '=', 'warehouse')], limit=1)
        config = Configuration(1)
        self.assertTrue(config.sell_without_stock)
        config.warehouse = warehouse
        config.save()
        self.assertEqual(Configuration(1).warehouse, warehouse)


del ModuleTestCase
