from trytond.pool import Pool
from trytond.tests.test_tryton import ModuleTestCase, with_transaction


class CallCenterKbTestCase(ModuleTestCase):
    "Test Call Center Knowledge Base module"
    module = 'callcenter_kb'

    @with_transaction()
    def test_category_full_name(self):
        "A sub-category is named after its parents"
        Category = Pool().get('callcenter.kb.category')
        parent, = Category.create([{
                    'name': "售后", 'children': [('create', [
                                {'name': "退货"}])]}])
        child, = parent.children
        self.assertEqual(child.rec_name, "售后 / 退货")
        self.assertEqual(Category.search([('rec_name', 'ilike', '%退货%')]),
            [child])


del ModuleTestCase
