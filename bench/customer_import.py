"""Benchmark of the customer import (issue 4, TKT-02).

    .venv/bin/python bench/customer_import.py [--scale N] [--reuse]

Creates a fresh database ``customer_import_bench`` as ``callcenter setup``
builds it (every module of the suite active, sale and stock among them,
and the demo data) on the embedded PostgreSQL of ``var/bench`` (or on
CALLCENTER_DB_URI), writes an .xlsx of N customers (default 100,000:
Chinese or Latin name, mobile as a number cell, landline as text, email,
level, coded gender as a number cell, birthday as 20130407 text or as a
date cell, city, street) in a child process,
then imports it as the queue worker does (``run_queued``: every row
checked, then all written in one transaction, progress committed apart).
The time is that of the import and its commit; the peak RSS is this
process's (the file is generated elsewhere). Prints readable lines and,
last, one JSON line.
"""
import argparse
import datetime as dt
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / 'src'))

from callcenter import database, provision, tryton  # noqa: E402
from callcenter.benchmark import bench_server  # noqa: E402

DB_NAME = 'customer_import_bench'
HEADER = ["姓名", "手机", "Phone", "Email", "Customer Level", "Gender",
    "Birthday", "City", "Street"]
SURNAMES = "王李张刘陈杨黄赵吴周"
GIVEN = "芳强伟洋敏静磊军洁勇"
LEVELS = ["VIP", "Individual", "Corporate", "Potential", ""]
CITIES = ["北京", "上海", "广州", "深圳", "Hangzhou"]


def row(i):
    """Customer i: unique mobile and landline numbers, mixed cell types.

    Mobiles are number cells on even rows (as Excel stores a number typed
    in), text on odd ones; the gender code a number; the birthday a date
    cell on every third row, else text as 20130407.
    """
    if i % 3:
        name = SURNAMES[i % 10] + GIVEN[i // 10 % 10] + str(i)
    else:
        name = f"Customer {i}"
    mobile = 13900000000 + i if i % 2 == 0 else f'139{i:08d}'
    birthday = dt.date(1950 + i % 50, 1 + i % 12, 1 + i % 28)
    if i % 3:
        birthday = birthday.strftime('%Y%m%d')
    return [name, mobile, f'010{60000000 + i:08d}',
        f'c{i}@example.com', LEVELS[i % 5], 1 + i % 2, birthday,
        CITIES[i % 5], f"{i % 300 + 1} Renmin Road"]


def generate(path, count):
    "Write the .xlsx with openpyxl's write-only (streaming) workbook."
    import openpyxl
    book = openpyxl.Workbook(write_only=True)
    sheet = book.create_sheet("Customers")
    sheet.append(HEADER)
    for i in range(count):
        sheet.append(row(i))
    book.save(path)


def create_database(settings, server_uri):
    started = time.perf_counter()
    database.drop(server_uri, DB_NAME)
    config = provision.prepare(settings, server_uri,
        config=settings.var / 'customer_import' / 'trytond.conf',
        track_sources=False)
    tryton.call(config, DB_NAME, prepare)
    print(f"database ready in {time.perf_counter() - started:.1f} s",
        flush=True)
    return config


def prepare(pool):
    "The demo company (China as phone country), a gender field, a mapping."
    from trytond.transaction import Transaction
    company, = pool.get('company.company').search([])
    with Transaction().set_context(company=company.id):
        pool.get('callcenter.attribute').create([
                {'name': 'gender', 'string': "Gender", 'type_': 'selection',
                    'selection': "male: Male\nfemale: Female"},
                {'name': 'birthday', 'string': "Birthday", 'type_': 'date'}])
        pool.get('callcenter.customer.import.mapping').create([{
                    'name': "Bench", 'lines': [('create', [{
                                    'header': "Gender",
                                    'field': 'attribute:gender',
                                    'codes': "1=male\n2=female"}])]}])


def create_job(pool, path):
    Import = pool.get('callcenter.customer.import')
    Mapping = pool.get('callcenter.customer.import.mapping')
    Company = pool.get('company.company')
    company, = Company.search([])
    mapping, = Mapping.search([('name', '=', 'Bench')])
    job, = Import.create([{
                'company': company.id, 'mapping': mapping.id,
                'file': Path(path).read_bytes(), 'filename': Path(path).name,
                }])
    return job.id


def run_job(pool, job_id):
    from trytond.transaction import Transaction
    Import = pool.get('callcenter.customer.import')
    job = Import(job_id)
    with Transaction().set_context(company=job.company.id):
        Import.run_queued([job])


def outcome(pool, job_id):
    Import = pool.get('callcenter.customer.import')
    Party = pool.get('party.party')
    Module = pool.get('ir.module')
    job = Import(job_id)
    return (job.state, job.created, job.error_count, job.errors,
        Party.search_count([]),
        Module.search_count([('state', '=', 'activated')]))


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument('--scale', type=int, default=100_000)
    parser.add_argument('--generate', help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.generate:
        return generate(args.generate, args.scale)
    with bench_server(DB_NAME) as (settings, server_uri):
        return bench(settings, server_uri, args)


def bench(settings, server_uri, args):
    config = create_database(settings, server_uri)
    path = settings.var / 'customer_import' / f'customers-{args.scale}.xlsx'
    started = time.perf_counter()
    subprocess.run([sys.executable, __file__, '--scale', str(args.scale),
            '--generate', str(path)], check=True)
    print(f"wrote {args.scale} rows to {path.name} "
        f"({path.stat().st_size / 1e6:.1f} MB) in "
        f"{time.perf_counter() - started:.1f} s", flush=True)
    job_id = tryton.call(config, DB_NAME, create_job, str(path))
    started = time.perf_counter()
    tryton.call(config, DB_NAME, run_job, job_id)
    seconds = time.perf_counter() - started
    state, created, errors, report, parties, modules = tryton.call(
        config, DB_NAME, outcome, job_id)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if state != 'done' or created != args.scale:
        print(f"import {state}: {created} created, {errors} errors\n"
            f"{(report or '')[:2000]}")
        return 1
    print(f"imported {created} customers in {seconds:.1f} s "
        f"({created / seconds:.0f} rows/s); {parties} parties in the "
        f"database, {modules} modules active; peak RSS {peak:.0f} MB",
        flush=True)
    print(json.dumps({'bench': 'customer_import', 'rows': created,
                'seconds': round(seconds, 2),
                'peak_rss_mb': round(peak, 1)}))
    return 0


if __name__ == '__main__':
    sys.exit(main())
