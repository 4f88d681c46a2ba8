"""Demo inbound batches, payments, returns and courier tracking.

Runs after the order demo: three suppliers deliver 12 batches over the last
four weeks (some still unpaid), one batch goes partly back to its vendor,
a few orders leave with a courier's tracking number and one comes back on a
return ticket. Reuses the products already there, or adds a handful.
Deterministic like ``demo.py``; bulk creates keep it to a few seconds.
"""
import datetime as dt
import random
from decimal import Decimal

from trytond.transaction import Transaction

SUPPLIERS = ("杭州净源滤材有限公司 Hangzhou Jingyuan Filters",
    "宁波力达电机有限公司 Ningbo Lida Motors",
    "深圳创维配件有限公司 Shenzhen Chuangwei Parts")
PRODUCTS = (("空气净化器 Air Purifier", 'AP-200', Decimal('899')),
    ("滤芯 Filter Cartridge", 'FC-10', Decimal('129')),
    ("加湿器 Humidifier", 'HU-80', Decimal('399')),
    ("电风扇 Desk Fan", 'DF-30', Decimal('199')),
    ("遥控器 Remote Control", 'RC-01', Decimal('49')))
# name, tracking page (kuaidi100 follows every Chinese courier)
CARRIERS = (("顺丰速运 SF Express",
        'https://www.sf-express.com/chn/sc/waybill/waybill-detail/{number}'),
    ("中通快递 ZTO Express", 'https://www.kuaidi100.com/chaxun?nu={number}'))
METHODS = ('bank_transfer', 'bank_transfer', 'cash', 'cheque', 'online')
WAREHOUSE_USER = ('warehouse1', "赵敏 Zhao Min")
BATCHES, WEEKS, ORDERS = 12, 4, 6


def load(pool, company, rng=None):
    "Create the demo batches, payments, returns and tracked orders."
    rng = rng or random.Random(20261205)
    with Transaction().set_context(company=company.id):
        clerk = warehouse_user(pool, company)
        products = demo_products(pool)
        suppliers = create_suppliers(pool)
        with Transaction().set_user(clerk.id):
            batches = create_batches(pool, company, suppliers, products, rng)
            return_to_vendor(pool, batches[1])
        carriers = create_carriers(pool)
        ship_orders(pool, company, products, carriers, rng)


def warehouse_user(pool, company):
    "The demo warehouse clerk (Inventory & Stock), created if missing."
    User = pool.get('res.user')
    ModelData = pool.get('ir.model.data')
    login, name = WAREHOUSE_USER
    users = User.search([('login', '=', login)])
    if users:
        return users[0]
    user, = User.create([{
                'login': login, 'name': name, 'password': f'{login}-demo',
                'groups': [('add', [
                            ModelData.get_id('stock', 'group_stock'),
                            ModelData.get_id('callcenter_base',
                                'group_agent')])],
                'companies': [('add', [company.id])],
                'company': company.id}])
    return user


def demo_products(pool):
    "Goods already in the demo, else the handful above."
    pool_product = pool.get('product.product')
    products = pool_product.search([('type', '=', 'goods'),
            ('salable', '=', True)], order=[('id', 'ASC')], limit=5)
    if products:
        return products
    Uom = pool.get('product.uom')
    Template = pool.get('product.template')
    unit, = Uom.search([('name', '=', 'Unit')])
    templates = Template.create([{
                'name': name, 'code': code, 'type': 'goods',
                'default_uom': unit.id, 'salable': True,
                'sale_uom': unit.id, 'list_price': price,
                'products': [('create', [{}])],
                } for name, code, price in PRODUCTS])
    return [t.products[0] for t in templates]


def price(product):
    "The product's sale price (the variant's, else its template's)."
    return product.list_price_used or Decimal('100')


def create_suppliers(pool):
    Party = pool.get('party.party')
    return Party.create([{'name': n} for n in SUPPLIERS])


def locations(pool):
    Location = pool.get('stock.location')
    warehouse, = Location.search([('code', '=', 'WH')])
    supplier, = Location.search([('code', '=', 'SUP')])
    return warehouse, supplier


def create_batches(pool, company, suppliers, products, rng):
    "Received batches spread over the weeks; older ones mostly paid."
    Shipment = pool.get('stock.shipment.in')
    warehouse, supplier_location = locations(pool)
    today = dt.date.today()
    values = []
    for index in range(BATCHES):
        day = today - dt.timedelta(days=WEEKS * 7 * (BATCHES - index)
            // BATCHES)
        values.append({
                'company': company.id, 'supplier':
                suppliers[index % len(suppliers)].id,
                'warehouse': warehouse.id,
                'warehouse_input': warehouse.input_location.id,
                'warehouse_storage': warehouse.storage_location.id,
                'planned_date': day, 'effective_date': day,
                'reference': f'DN{day:%m%d}-{index + 1:02d}',
                'incoming_moves': [('create', [{
                                'product': p.id, 'unit': p.default_uom.id,
                                'quantity': rng.choice([20, 30, 50, 100]),
                                'from_location': supplier_location.id,
                                'to_location': warehouse.input_location.id,
                                'planned_date': day, 'effective_date': day,
                                'unit_price': (price(p) * Decimal('0.6')
                                    ).quantize(Decimal('0.01')),
                                'currency': company.currency.id,
                                'company': company.id,
                                } for p in rng.sample(
                                    products, min(len(products), 3))])],
                })
    batches = Shipment.create(values)
    # delivered without a purchase order: skip the missing origin warning
    with Transaction().set_context(_skip_warnings=True):
        Shipment.receive(batches)
        Shipment.do(batches)
    pay_batches(pool, batches, rng)
    return batches


def pay_batches(pool, batches, rng):
    "Batches older than a week paid a few days after delivery."
    Shipment = pool.get('stock.shipment.in')
    last_week = dt.date.today() - dt.timedelta(days=7)
    for batch in batches:
        if batch.effective_date < last_week and rng.random() < 0.8:
            Shipment.pay([batch], batch.effective_date
                + dt.timedelta(days=rng.randrange(1, 6)), rng.choice(METHODS))


def return_to_vendor(pool, batch):
    "Send back a part of a received batch (a faulty lot)."
    Return = pool.get('stock.shipment.in.return')
    shipment = batch._get_vendor_return()
    shipment.moves = shipment.moves[:1]
    shipment.moves[0].quantity = 5
    shipment.save()
    Return.wait([shipment])
    Return.assign_try([shipment])
    Return.do([shipment])


def create_carriers(pool):
    Party = pool.get('party.party')
    Carrier = pool.get('carrier')
    Uom = pool.get('product.uom')
    Template = pool.get('product.template')
    unit, = Uom.search([('name', '=', 'Unit')])
    service, = Template.create([{'name': "快递费 Delivery", 'type': 'service',
                'default_uom': unit.id, 'products': [('create', [{}])]}])
    parties = Party.create([{'name': name} for name, _ in CARRIERS])
    return Carrier.create([{
                'party': party.id, 'carrier_product': service.products[0].id,
                'tracking_url': url,
                } for party, (_, url) in zip(parties, CARRIERS)])


def ship_orders(pool, company, products, carriers, rng):
    "A few orders sent with a courier; the first comes back on a ticket."
    Party = pool.get('party.party')
    Sale = pool.get('sale.sale')
    Shipment = pool.get('stock.shipment.out')
    warehouse, _ = locations(pool)
    customers = Party.search([('addresses', '!=', None),
            ('id', '!=', company.party.id)], order=[('id', 'ASC')],
        limit=ORDERS)
    sales = Sale.create([{
                'company': company.id, 'party': c.id,
                'warehouse': warehouse.id, 'invoice_method': 'manual',
                'invoice_address': c.addresses[0].id,
                'shipment_address': c.addresses[0].id,
                'lines': [('create', [{
                                'product': p.id, 'unit': p.default_uom.id,
                                'quantity': rng.randint(1, 3),
                                'unit_price': price(p),
                                } for p in rng.sample(products, 2)])],
                } for c in customers])
    Sale.quote(sales)
    Sale.confirm(sales)
    Sale.process(sales)
    shipments = [s for sale in sales for s in sale.shipments]
    for index, shipment in enumerate(shipments):
        shipment.carrier = carriers[index % len(carriers)]
        shipment.tracking_number = f'{"SF" if index % 2 == 0 else "73"}' \
            f'{rng.randrange(10 ** 11, 10 ** 12)}'
    Shipment.save(shipments)
    Shipment.assign_try(shipments)
    sent = shipments[:-2]  # the last two wait in the warehouse
    Shipment.pick(sent)
    Shipment.pack(sent)
    Shipment.do(sent)
    if sales:
        return_ticket(pool, company, sales[0])


def return_ticket(pool, company, sale):
    "A return goods ticket for the first order, its return received."
    Type = pool.get('callcenter.ticket.type')
    Ticket = pool.get('callcenter.ticket')
    Return = pool.get('stock.shipment.out.return')
    type_, = Type.create([{'name': "Return goods", 'code': 'RET',
                'company': company.id, 'return_goods': True}])
    with Transaction().set_context(language='zh_CN'):
        Type.write([type_], {'name': "退货"})
    ticket, = Ticket.create([{
                'company': company.id, 'type': type_.id,
                'party': sale.party.id, 'returned_sale': sale.id,
                'subject': "商品有损坏,申请退货 Damaged item, return"}])
    Ticket.create_return([ticket])
    returns = list(ticket.return_sale.shipment_returns)
    Return.receive(returns)
    Return.do(returns)
