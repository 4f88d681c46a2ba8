"""Benchmark of orders taken on calls (issue 13, STK-01/02).

    .venv/bin/python bench/order_on_call.py [--scale N] [--products N]
        [--orders N]

Creates a fresh database ``order_bench`` with every call-center module
active (as ``callcenter setup`` builds it) on the embedded PostgreSQL of
``var/bench`` (or CALLCENTER_DB_URI): a company, an agent, N customers
(default 1,000,000, by COPY, each with an address) and 10,000 products
through Tryton (so their pinyin keys are computed), 95% of them in stock
in one warehouse (stock moves by COPY). Then, as the agent with access
rules applied, it takes 1,000 orders of 1-5 lines the way the web client
does: find the customer, ``on_change`` of the party, for each line find
the product by pinyin or code, its ``on_change`` and the forecast and next
supply date shown on the line; save, quote, confirm and the processing
the confirmation queues (shipment, replenishment request). The baseline
is Tryton's plain sale flow in the same process: the same orders without
the product search, the per-line forecast and our settings (products in
stock only). Last, the replenishment computation of stock_supply
(``purchase.request`` generation) over the 10,000 products. Prints
readable lines then one JSON line.
"""
import argparse
import datetime as dt
import json
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / 'src'))

from callcenter import database, tryton  # noqa: E402
from callcenter.benchmark import bench_server, copy_rows, percentile  # noqa
from callcenter.settings import MODULES  # noqa: E402

DB_NAME = 'order_bench'
SEED = 20261205
TARGET_MS, TARGET_REPLENISH_S = 300, 30
SYLLABLES = ["茶", "杯", "壶", "米", "油", "盐", "糖", "面", "枕", "被", "灯",
    "扇", "锅", "碗", "伞", "鞋", "帽", "袜", "笔", "书"]


def fresh(settings, server_uri):
    database.drop(server_uri, DB_NAME)
    database.create(server_uri, DB_NAME)
    database.create_extensions(server_uri, DB_NAME)
    config = tryton.write_config(settings, server_uri,
        settings.var / 'order_on_call' / 'trytond.conf')
    tryton.admin(config, DB_NAME, '--update', *MODULES,
        '--activate-dependencies', '--email', 'a@b.c', password='x')
    return config


def product_name(i):
    rng = random.Random(i)
    return ''.join(rng.choice(SYLLABLES) for _ in range(3)) + f" {i}"


def setup(pool, products):
    "Company, agent, settings and the products, through Tryton."
    Currency = pool.get('currency.currency')
    Party = pool.get('party.party')
    Company = pool.get('company.company')
    User = pool.get('res.user')
    ModelData = pool.get('ir.model.data')
    Template = pool.get('product.template')
    Uom = pool.get('product.uom')
    Category = pool.get('product.category')
    from trytond.transaction import Transaction
    cny, = Currency.create([{'name': "Yuan", 'code': 'CNY', 'symbol': '¥'}])
    party, = Party.create([{'name': "Bench Center"}])
    company, = Company.create([{'party': party.id, 'currency': cny.id}])
    agent, = User.create([{
                'login': 'agent', 'name': "Agent",
                'groups': [('add', [
                                ModelData.get_id('callcenter_base',
                                    'group_agent')])],
                'companies': [('add', [company.id])], 'company': company.id,
                }])
    admin, = User.search([('login', '=', 'admin')])
    User.write([admin], {'companies': [('add', [company.id])],
            'company': company.id})
    supplier, = Party.create([{'name': "Supplier",
                'addresses': [('create', [{'city': "Ningbo"}])]}])
    with Transaction().set_context(company=company.id):
        SaleConfig = pool.get('sale.configuration')
        PurchaseConfig = pool.get('purchase.configuration')
        SaleConfig.write([SaleConfig(1)], {'sale_invoice_method': 'manual'})
        PurchaseConfig.write([PurchaseConfig(1)],
            {'purchase_invoice_method': 'manual'})
        unit, = Uom.search([('name', '=', 'Unit')])
        category, = Category.create([{'name': "Goods", 'accounting': True}])
        started = time.perf_counter()
        for start in range(0, products, 1000):
            Template.create([{
                        'name': product_name(i), 'code': f'P{i:05d}',
                        'type': 'goods', 'default_uom': unit.id,
                        'account_category': category.id,
                        'salable': True, 'sale_uom': unit.id,
                        'purchasable': True, 'purchase_uom': unit.id,
                        'list_price': Decimal('10') + i % 90,
                        'products': [('create', [{}])],
                        'product_suppliers': [('create', [{
                                        'party': supplier.id,
                                        'company': company.id,
                                        'lead_time': dt.timedelta(days=3),
                                        }])],
                        } for i in range(start, min(products, start + 1000))])
        print(f"{products} products through Tryton in "
            f"{time.perf_counter() - started:.1f} s", flush=True)
    return company.id, agent.id


def load(conn, customers, company):
    "COPY the customers with an address, and the opening stock."
    started = time.perf_counter()
    now = dt.datetime.now()
    first, = conn.execute(
        'SELECT COALESCE(MAX(id), 0) + 1 FROM party_party').fetchone()
    copy_rows(conn, 'party_party', ['id', 'name', 'code', 'active',
            'create_uid', 'create_date'],
        ((first + i, f'Customer {i}', f'C{i:07d}', True, 0, now)
            for i in range(customers)))
    conn.execute("SELECT setval('party_party_id_seq', %s)",
        (first + customers,))
    copy_rows(conn, 'party_address', ['party', 'active', 'city',
            'create_uid', 'create_date'],
        ((first + i, True, 'Hangzhou', 0, now)
            for i in range(customers)))
    (supplier,), = conn.execute(
        "SELECT id FROM stock_location WHERE code = 'SUP'").fetchall()
    (storage,), = conn.execute(
        "SELECT storage_location FROM stock_location WHERE code = 'WH'"
        ).fetchall()
    (currency,), = conn.execute(
        'SELECT currency FROM company_company WHERE id = %s',
        (company,)).fetchall()
    products = conn.execute(
        'SELECT p.id, t.default_uom FROM product_product p '
        'JOIN product_template t ON t.id = p.template ORDER BY p.id'
        ).fetchall()
    day = dt.date.today() - dt.timedelta(days=30)
    # 1 product in 20 out of stock: its orders raise replenishment
    copy_rows(conn, 'stock_move', ['product', 'unit', 'quantity',
            'internal_quantity', 'from_location', 'to_location', 'state',
            'planned_date', 'effective_date', 'company', 'unit_price',
            'currency', 'create_uid', 'create_date'],
        ((p, u, 1000.0, 1000.0, supplier, storage, 'done', day, day,
                company, Decimal('5'), currency, 0, now)
            for n, (p, u) in enumerate(products) if n % 20))
    conn.commit()
    conn.autocommit = True
    for table in ['party_party', 'party_address', 'stock_move',
            'product_template', 'product_product']:
        conn.execute(f'VACUUM ANALYZE {table}')
    conn.autocommit = False
    print(f"loaded {customers} customers and the stock of "
        f"{len(products)} products in {time.perf_counter() - started:.1f} s",
        flush=True)
    return first, [p for p, _ in products]


def orders(pool, company, count, first, customers, products, baseline):
    """Take count orders as the web client does (baseline: Tryton's plain
    flow); return the milliseconds of each."""
    from trytond.transaction import Transaction
    Party = pool.get('party.party')
    Product = pool.get('product.product')
    Sale = pool.get('sale.sale')
    Line = pool.get('sale.line')
    rng = random.Random(SEED + baseline)
    times = []
    with Transaction().set_context(company=company):
        for n in range(count):
            code = f'C{rng.randrange(customers):07d}'
            picks = [rng.randrange(len(products))
                for _ in range(rng.randint(1, 5))]
            if baseline:
                picks = [p - p % 20 + 1 for p in picks]  # in stock
            start = time.perf_counter()
            with Transaction().set_context(_check_access=True):
                customer, = Party.search([('code', '=', code)], limit=1)
                sale = Sale(party=customer)
                sale.on_change_party()
                lines = []
                for index in picks:
                    if baseline:
                        product = Product(products[index])
                    else:
                        typed = (f'P{index:05d}' if n % 2
                            else product_name(index))
                        product, = Product.search(
                            [('rec_name', 'ilike', f'%{typed}%')], limit=10)
                    line = Line(sale=sale, type='line', product=product,
                        quantity=rng.randint(1, 3))
                    line.on_change_product()
                    line.on_change_quantity()
                    if not baseline:
                        line.forecast_quantity = (
                            line.on_change_with_forecast_quantity())
                        line.next_supply_date = (
                            line.on_change_with_next_supply_date())
                    lines.append(line)
                sale.lines = lines
                sale.save()
                Sale.quote([sale])
                Sale.confirm([sale])
            Sale.process([sale])  # the task the confirmation queues
            times.append((time.perf_counter() - start) * 1000)
    return times


def replenish(pool, company):
    "stock_supply's computation of purchase requests for every product."
    from trytond.transaction import Transaction
    Request = pool.get('purchase.request')
    with Transaction().set_context(company=company):
        start = time.perf_counter()
        Request.generate_requests()
        elapsed = time.perf_counter() - start
        count = Request.search_count([])
    return elapsed, count


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--scale', type=int, default=1_000_000,
        help="customers")
    parser.add_argument('--products', type=int, default=10_000)
    parser.add_argument('--orders', type=int, default=1_000)
    args = parser.parse_args(argv)
    with bench_server(DB_NAME) as (settings, server_uri):
        started = time.perf_counter()
        config = fresh(settings, server_uri)
        company, agent = tryton.call(config, DB_NAME, setup, args.products)
        with database.connect(server_uri, DB_NAME) as conn:
            first, products = load(conn, args.scale, company)
        print(f"database ready in {time.perf_counter() - started:.1f} s",
            flush=True)
        pool = tryton.init_pool(config, DB_NAME)
        baseline = tryton.run(pool, DB_NAME, orders, company,
            args.orders, first, args.scale, products, True, user=agent)
        ours = tryton.run(pool, DB_NAME, orders, company,
            args.orders, first, args.scale, products, False, user=agent)
        replenish_s, requests = tryton.run(
            pool, DB_NAME, replenish, company)
    result = {
        'bench': 'order_on_call',
        'customers': args.scale,
        'products': args.products,
        'orders': len(ours),
        'p50_ms': round(statistics.median(ours), 1),
        'p95_ms': round(percentile(ours, 95), 1),
        'baseline_p95_ms': round(percentile(baseline, 95), 1),
        'replenish_s': round(replenish_s, 2),
        }
    print(f"orders on calls: p50 {result['p50_ms']} ms, p95 "
        f"{result['p95_ms']} ms (target <= {TARGET_MS} ms)")
    print(f"baseline (Tryton's plain sale flow): p50 "
        f"{statistics.median(baseline):.1f} ms, p95 "
        f"{result['baseline_p95_ms']} ms")
    print(f"replenishment for {args.products} products: "
        f"{result['replenish_s']} s, {requests} requests "
        f"(target <= {TARGET_REPLENISH_S} s)")
    print(json.dumps(result))
    return 0


if __name__ == '__main__':
    sys.exit(main())
