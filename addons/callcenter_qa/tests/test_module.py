from decimal import Decimal

from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction


class CallCenterQaTestCase(ModuleTestCase):
    "Test Call Center QA module"
    module = 'callcenter_qa'
    extras = ['callcenter_kb', 'callcenter_ticket']

    @with_transaction()
    def test_item_total_sums_sub_items(self):
        "An item with sub-items scores the sum of theirs"
        Item = Pool().get('callcenter.qa.item')
        item, = Item.create([{
                    'name': "Greeting", 'children': [('create', [
                                {'name': "Says company name",
                                    'max_score': Decimal(5)},
                                {'name': "Offers help",
                                    'max_score': Decimal('2.5')},
                                ])]}])
        self.assertEqual(item.total_score, Decimal('7.5'))


del ModuleTestCase
