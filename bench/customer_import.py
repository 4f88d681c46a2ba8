"""Benchmark of the customer import (issue 4, TKT-02).

    .venv/bin/python bench/customer_import.py [--scale N] [--reuse]

Creates a fresh database ``customer_import_bench`` with
``callcenter_ticket`` activated on the embedded PostgreSQL of
``var/bench`` (or on CALLCENTER_DB_URI), writes an .xlsx of N customers
(default 100,000: Chinese or Latin name, mobile, landline, email, level,
coded gender, birthday as 20130407, city, street) in a child process,
then imports it as the queue worker does (``run_queued``: every row
checked, then all written in one transaction, progress committed apart).
The time is that of the import and its commit; the peak RSS is this
process's (the file is generated elsewhere). Prints readable lines and,
last, one JSON line.
"""
import argparse
import json
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / 'src'))

from callcenter import database, tryton  # noqa: E402
from callcenter.benchmark import bench_server  # noqa: E402

DB_NAME = 'customer_import_bench'
HEADER = ["姓名", "手机", "Phone", "Email", "Customer Level", "Gender",
    "Birthday", "City", "Street"]
SURNAMES = "王李张刘陈杨黄赵吴周"
GIVEN = "芳强伟洋敏静磊军洁勇"
LEVELS = ["VIP", "Individual", "Corporate", "Potential", ""]
CITIES = ["北京", "上海", "广州", "深圳", "Hangzhou"]


def row(i):
    "Customer i: unique mobile and landline numbers."
    if i % 3:
        name = SURNAMES[i % 10] + GIVEN[i // 10 % 10] + str(i)
    else:
        name = f"Customer {i}"
    return [name, f'139{i:08d}', f'010{60000000 + i:08d}',
        f'c{i}@example.com', LEVELS[i % 5], str(1 + i % 2),
        f'{1950 + i % 50}{1 + i % 12:02d}{1 + i % 28:02d}',
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
    database.create(server_uri, DB_NAME)
    database.create_extensions(server_uri, DB_NAME)
    config = tryton.write_config(settings, server_uri,
        settings.var / 'customer_import' / 'trytond.conf')
    tryton.admin(config, DB_NAME, '--update', 'callcenter_ticket',
        '--activate-dependencies', '--email', 'a@b.c', password='x')
    tryton.call(config, DB_NAME, prepare)
    print(f"database ready in {time.perf_counter() - started:.1f} s",
        flush=True)
    return config


def prepare(pool):
    "A company, China as phone country, a gender field and a mapping."
    from trytond.modules.company.tests import create_company
    from trytond.transaction import Transaction
    Country = pool.get('country.country')
    Configuration = pool.get('callcenter.configuration')
    china, = Country.create([{'name': "China", 'code': 'CN'}])
    Configuration.write([Configuration(1)], {'phone_country': china.id})
    company = create_company()
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
    job = Import(job_id)
    return (job.state, job.created, job.error_count, job.errors,
        Party.search_count([]))


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
    state, created, errors, report, parties = tryton.call(
        config, DB_NAME, outcome, job_id)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    if state != 'done' or created != args.scale:
        print(f"import {state}: {created} created, {errors} errors\n"
            f"{(report or '')[:2000]}")
        return 1
    print(f"imported {created} customers in {seconds:.1f} s "
        f"({created / seconds:.0f} rows/s); {parties} parties in the "
        f"database; peak RSS {peak:.0f} MB", flush=True)
    print(json.dumps({'bench': 'customer_import', 'rows': created,
                'seconds': round(seconds, 2),
                'peak_rss_mb': round(peak, 1)}))
    return 0


if __name__ == '__main__':
    sys.exit(main())
