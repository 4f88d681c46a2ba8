"""Demo orders and stock, loaded with the rest of the demo data.

Products a small retailer sells by phone (Chinese names, codes, prices),
their stock in the warehouse, three suppliers, a sales and a warehouse
user, and four weeks of orders taken by the agents, some on tickets. Four
products are out of stock: their orders wait on replenishment tasks
(purchase requests) that the warehouse can turn into purchases.
Deterministic like ``demo.py``; bulk creates keep it to a few seconds.
"""
import datetime as dt
import random
from decimal import Decimal

from trytond.transaction import Transaction

# name, code, price, stock (0: out of stock, sold with a replenishment task)
PRODUCTS = (
    ("西湖龙井茶 250g Longjing tea", 'TEA-001', '168', 120),
    ("铁观音 250g Tieguanyin tea", 'TEA-002', '128', 80),
    ("普洱茶饼 357g Pu'er cake", 'TEA-003', '238', 0),
    ("柠檬茶 500ml×12 Lemon tea", 'DRK-001', '48', 300),
    ("矿泉水 550ml×24 Mineral water", 'DRK-002', '36', 500),
    ("豆浆机 Soy milk maker", 'APL-001', '399', 25),
    ("电饭煲 4L Rice cooker", 'APL-002', '459', 18),
    ("空气净化器 Air purifier", 'APL-003', '1299', 0),
    ("电热水壶 Electric kettle", 'APL-004', '129', 60),
    ("扫地机器人 Robot vacuum", 'APL-005', '1899', 6),
    ("保温杯 500ml Vacuum flask", 'HOM-001', '89', 150),
    ("真丝枕套 Silk pillowcase", 'HOM-002', '199', 40),
    ("羽绒被 Down quilt", 'HOM-003', '899', 0),
    ("竹纤维毛巾 Bamboo towel", 'HOM-004', '39', 400),
    ("蓝牙耳机 Bluetooth earphones", 'ELE-001', '299', 70),
    ("充电宝 10000mAh Power bank", 'ELE-002', '119', 90),
    ("智能手环 Fitness band", 'ELE-003', '249', 0),
    ("手机壳 Phone case", 'ELE-004', '49', 200),
    ("枸杞 500g Goji berries", 'FOD-001', '69', 110),
    ("红枣 1kg Red dates", 'FOD-002', '58', 95),
    )
SUPPLIERS = ("杭州茗香茶业 Hangzhou Tea Co.", "宁波家电制造 Ningbo Appliances",
    "深圳华强电子 Shenzhen Electronics")
STAFF = (
    ('sales1', "赵敏 Zhao Min", 'group_sales'),
    ('store1', "孙磊 Sun Lei", 'group_warehouse'),
    )
AGENTS = ('agent1', 'agent2', 'agent3')
ORDERS = 40
DAYS = 28


def load(pool, company, rng=None):
    "Create the demo products, stock and orders of company."
    try:
        pool.get('callcenter.stock.configuration')
    except KeyError:
        return
    rng = rng or random.Random(20261205)
    with Transaction().set_context(company=company.id, _skip_warnings=True):
        configure(pool)
        create_staff(pool, company)
        suppliers = create_suppliers(pool)
        products = create_products(pool, company, suppliers)
        put_in_stock(pool, company, products)
        take_orders(pool, company, products, rng)


def configure(pool):
    "Invoices are made by hand: the demo has no chart of accounts."
    SaleConfig = pool.get('sale.configuration')
    PurchaseConfig = pool.get('purchase.configuration')
    SaleConfig.write([SaleConfig(1)], {'sale_invoice_method': 'manual'})
    PurchaseConfig.write([PurchaseConfig(1)],
        {'purchase_invoice_method': 'manual'})


def create_staff(pool, company):
    User = pool.get('res.user')
    ModelData = pool.get('ir.model.data')
    User.create([{
                'login': login, 'name': name, 'password': f'{login}-demo',
                'groups': [('add', [
                                ModelData.get_id('callcenter_stock', group)])],
                'companies': [('add', [company.id])], 'company': company.id,
                } for login, name, group in STAFF])


def create_suppliers(pool):
    Party = pool.get('party.party')
    return Party.create([{
                'name': name,
                'addresses': [('create', [{'city': name[:2]}])],
                } for name in SUPPLIERS])


def create_products(pool, company, suppliers):
    Template = pool.get('product.template')
    Uom = pool.get('product.uom')
    Category = pool.get('product.category')
    unit, = Uom.search([('name', '=', 'Unit')])
    # taxes are read from an accounting category (none in the demo)
    category, = Category.create([{'name': "商品 Goods", 'accounting': True}])
    supplier_of = {'TEA': 0, 'DRK': 0, 'FOD': 0, 'APL': 1, 'HOM': 1,
        'ELE': 2}
    templates = Template.create([{
                'name': name, 'code': code, 'type': 'goods',
                'default_uom': unit.id, 'account_category': category.id,
                'salable': True, 'sale_uom': unit.id,
                'purchasable': True, 'purchase_uom': unit.id,
                'list_price': Decimal(price),
                'products': [('create', [{
                                'cost_price': (Decimal(price) * Decimal('0.6')
                                    ).quantize(Decimal('0.01'))}])],
                'product_suppliers': [('create', [{
                                'party': suppliers[supplier_of[code[:3]]].id,
                                'lead_time': dt.timedelta(days=5),
                                'company': company.id}])],
                } for name, code, price, _ in PRODUCTS])
    # list_price is read per company: keep the price with the product
    return [(t.products[0], Decimal(price))
        for t, (_, _, price, _) in zip(templates, PRODUCTS)]


def put_in_stock(pool, company, products):
    "The opening stock, received five weeks ago."
    Move = pool.get('stock.move')
    Location = pool.get('stock.location')
    Date = pool.get('ir.date')
    supplier, = Location.search([('code', '=', 'SUP')])
    warehouse, = Location.search([('code', '=', 'WH')])
    day = Date.today() - dt.timedelta(days=DAYS + 7)
    moves = Move.create([{
                'product': product.id, 'unit': product.default_uom.id,
                'quantity': stock, 'from_location': supplier.id,
                'to_location': warehouse.storage_location.id,
                'planned_date': day, 'effective_date': day,
                'unit_price': price * Decimal('0.6'),
                'currency': company.currency.id, 'company': company.id,
                } for (product, price), (*_, stock) in zip(products, PRODUCTS)
            if stock])
    Move.do(moves)


def take_orders(pool, company, products, rng):
    """Four weeks of orders by the agents, a third on the customer's
    ticket; those of out-of-stock products raise replenishment tasks."""
    Party = pool.get('party.party')
    Address = pool.get('party.address')
    User = pool.get('res.user')
    Sale = pool.get('sale.sale')
    Ticket = pool.get('callcenter.ticket')
    Date = pool.get('ir.date')
    customers = Party.search([
            ('id', '!=', company.party.id),
            ('contact_mechanisms', '!=', None)],
        order=[('id', 'ASC')], limit=15)
    cities = ["北京", "上海", "广州", "深圳", "杭州", "成都"]
    Address.create([{'party': c.id, 'city': cities[i % len(cities)],
                'street': f"{rng.randrange(1, 300)}号 人民路"}
            for i, c in enumerate(customers) if not c.addresses])
    customers = Party.browse(customers)
    agents = User.search([('login', 'in', AGENTS)])
    tickets = {t.party: t for t in Ticket.search(
            [('party', 'in', [c.id for c in customers])])}
    today = Date.today()
    values = []
    for index in range(ORDERS):
        customer = customers[rng.randrange(len(customers))]
        ticket = tickets.get(customer) if index % 3 == 0 else None
        agent = (ticket.assignee if ticket and ticket.assignee
            else agents[rng.randrange(len(agents))])
        address = customer.addresses[0]
        chosen = rng.sample(products, rng.randint(1, 3))
        values.append({
                'party': customer.id, 'ticket': ticket.id if ticket else None,
                'taken_by': agent.id, 'company': company.id,
                'sale_date': today - dt.timedelta(
                    days=DAYS - index * DAYS // ORDERS),
                'invoice_address': address.id,
                'shipment_address': address.id,
                'lines': [('create', [{
                                'product': p.id,
                                'quantity': rng.randint(1, 4),
                                'unit': p.default_uom.id,
                                'unit_price': price,
                                } for p, price in chosen])],
                })
    sales = Sale.create(values)
    Sale.quote(sales)
    Sale.confirm(sales)
    Sale.process(sales)
