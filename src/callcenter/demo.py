"""Demo data: a company, its call-center staff and 50 customers.

Loaded by ``callcenter run`` (and ``callcenter setup``) into an empty
database, never by module XML, so a production database stays clean.
Everything is deterministic: the same names and numbers on every machine.
"""
import logging
import random
import subprocess
import sys
from dataclasses import dataclass

from . import (
    demo_campaign, demo_kb, demo_qa, demo_qa_lists, demo_questionnaire,
    demo_stock, demo_stock_batches, demo_tickets, tryton)

logger = logging.getLogger(__name__)

ADMIN_PASSWORD = 'admin-demo'
# The PBX simulator started by `callcenter run` (callcenter.pbxsim defaults).
SIMULATOR_HOST, SIMULATOR_PORT = '127.0.0.1', 5038
SIMULATOR_USER, SIMULATOR_SECRET = 'cti', 'cti-secret'
COMPANY_NAME = "华信客服中心 Huaxin Contact Center"
TEAM_NAME = "Service Team A"


@dataclass(frozen=True)
class DemoUser:
    login: str
    name: str
    groups: tuple[str, ...]
    role: str
    language: str = 'en'

    @property
    def password(self) -> str:
        return f'{self.login}-demo'


USERS = (
    DemoUser('agent1', "王芳 Wang Fang", ('group_agent',), "agent"),
    DemoUser('agent2', "李强 Li Qiang", ('group_agent',), "agent (中文界面)",
        language='zh_CN'),
    DemoUser('agent3', "Emily Chen", ('group_agent',), "agent"),
    DemoUser('leader1', "张伟 Zhang Wei", ('group_team_leader',),
        "team leader"),
    DemoUser('qa1', "刘洋 Liu Yang", ('group_qa',), "QA"),
    )

CHINESE_SURNAMES = "王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗"
CHINESE_GIVEN = ["伟", "芳", "娜", "秀英", "敏", "静", "丽", "强", "磊", "军",
    "洋", "勇", "艳", "杰", "娟", "涛", "明", "超", "秀兰", "霞"]
ENGLISH_FIRST = ["Alice", "Bob", "Carol", "David", "Emma", "Frank", "Grace",
    "Henry", "Isabel", "Jack"]
ENGLISH_LAST = ["Smith", "Johnson", "Brown", "Taylor", "Wilson", "Davies",
    "Evans", "Thomas", "Roberts", "Walker"]
COMPANIES = ["北京华联商贸有限公司", "上海东方物流有限公司", "深圳星河电子有限公司",
    "Acme Trading Ltd", "Pacific Foods Co."]
CITIES = [("北京", "10"), ("上海", "21"), ("广州", "20"), ("深圳", "755"),
    ("杭州", "571"), ("成都", "28")]
MOBILE_PREFIXES = ["138", "139", "135", "136", "150", "151", "158", "186",
    "187", "188", "177", "199"]
FOREIGN = [('US', '+1 212 {:03d} {:04d}'), ('GB', '+44 20 7{:03d} {:04d}'),
    ('HK', '+852 9{:03d} {:04d}')]


def load(config, db_name: str) -> None:
    "Load the demo data once, in a process of its own."
    subprocess.run([sys.executable, '-m', __name__, str(config), db_name],
        check=True)


def main(config, db_name) -> None:
    if tryton.call(config, db_name, _load):
        logger.info("demo data loaded")


def _load(pool):
    if pool.get('company.company').search([]):
        return False
    finish_module_configuration(pool)
    company = create_company(pool)
    users = create_users(pool, company)
    create_team(pool, company, users)
    create_telephony(pool, company, users)
    create_customers(pool, random.Random(20260407))
    demo_kb.load(pool, company)
    demo_tickets.load(pool, company)
    demo_questionnaire.load(pool, company)
    demo_campaign.load(pool, company)
    demo_qa.load(pool, company)
    demo_qa_lists.load(pool, company)
    demo_stock.load(pool, company)
    demo_stock_batches.load(pool, company)
    return True


def finish_module_configuration(pool):
    "Mark sao's first-login configuration wizard as done."
    Item = pool.get('ir.module.config_wizard.item')
    Item.write(Item.search([]), {'state': 'done'})


def create_company(pool):
    Country = pool.get('country.country')
    Currency = pool.get('currency.currency')
    Party = pool.get('party.party')
    Company = pool.get('company.company')
    Configuration = pool.get('callcenter.configuration')
    china, = Country.create([{'name': "China", 'code': 'CN'}])
    cny, = Currency.create([{
                'name': "Chinese Yuan", 'code': 'CNY', 'symbol': '¥',
                'rounding': 1, 'digits': 2}])
    party, = Party.create([{'name': COMPANY_NAME}])
    company, = Company.create([{
                'party': party.id, 'currency': cny.id,
                'timezone': 'Asia/Shanghai'}])
    Configuration.write([Configuration(1)], {'phone_country': china.id})
    return company


def create_users(pool, company):
    "The demo staff, and the admin moved into the company."
    User = pool.get('res.user')
    ModelData = pool.get('ir.model.data')
    company_values = {
        'companies': [('add', [company.id])], 'company': company.id}
    admin, = User.search([('login', '=', 'admin')])
    User.write([admin], company_values)
    Lang = pool.get('ir.lang')
    languages = {lang.code: lang.id for lang in Lang.search([])}
    values = []
    for user in USERS:
        groups = [ModelData.get_id('callcenter_base', g) for g in user.groups]
        values.append({
                'login': user.login, 'name': user.name,
                'password': user.password,
                'language': languages[user.language],
                'groups': [('add', groups)], **company_values})
    return User.create(values)


def create_team(pool, company, users):
    Team = pool.get('callcenter.team')
    by_login = {u.login: u for u in users}
    members = [by_login[login].id
        for login in ('agent1', 'agent2', 'agent3', 'leader1')]
    Team.create([{
                'name': TEAM_NAME, 'company': company.id,
                'leader': by_login['leader1'].id,
                'members': [('add', members)]}])


def create_telephony(pool, company, users):
    "The PBX simulator of `callcenter run`, its queue and the agents' phones."
    Server = pool.get('callcenter.pbx.server')
    Queue = pool.get('callcenter.queue')
    Agent = pool.get('callcenter.agent')
    server, = Server.create([{
                'name': "Demo PBX (simulator)", 'host': SIMULATOR_HOST,
                'port': SIMULATOR_PORT, 'username': SIMULATOR_USER,
                'secret': SIMULATOR_SECRET}])
    queue, = Queue.create([{
                'name': 'support', 'server': server.id,
                'company': company.id}])
    phones = {'agent1': '1001', 'agent2': '1002', 'agent3': '1003'}
    Agent.create([{
                'user': user.id, 'server': server.id,
                'extension': phones[user.login],
                'interface': f'PJSIP/{phones[user.login]}',
                'queues': [('add', [queue.id])]}
            for user in users if user.login in phones])


def create_customers(pool, rng):
    Party = pool.get('party.party')
    values = []
    for index in range(50):
        values.append({
                'name': customer_name(index, rng),
                'contact_mechanisms': [('create', customer_phones(index, rng))],
                })
    Party.create(values)


def customer_name(index, rng):
    if index < len(COMPANIES):
        return COMPANIES[index]
    if index % 3 == 2:
        return f"{rng.choice(ENGLISH_FIRST)} {rng.choice(ENGLISH_LAST)}"
    return rng.choice(CHINESE_SURNAMES) + rng.choice(CHINESE_GIVEN)


def customer_phones(index, rng):
    "A mobile for most, a landline for some, a foreign number for a few."
    phones = []
    if index % 10 == 9:
        region, pattern = FOREIGN[(index // 10) % len(FOREIGN)]
        phones.append(('phone', valid_number(
                    lambda: pattern.format(rng.randrange(200, 999),
                        rng.randrange(10000)), region)))
    else:
        phones.append(('mobile', valid_number(
                    lambda: '+86 ' + rng.choice(MOBILE_PREFIXES)
                    + f'{rng.randrange(10 ** 8):08d}', 'CN')))
    if index % 4 == 0:
        _, area = CITIES[index % len(CITIES)]
        phones.append(('phone', valid_number(
                    lambda: f'+86 {area} {rng.randrange(2, 9)}'
                    + f'{rng.randrange(10 ** 7):07d}', 'CN')))
    return [{'type': type_, 'value': value} for type_, value in phones]


def valid_number(make, region, tries=1000):
    "Draw numbers until one is valid; its international form."
    from trytond.modules.callcenter_base import phone
    for _ in range(tries):
        number = phone.valid(make(), region)
        if number is not None:
            return phone.international(number)
    raise ValueError(f"no valid {region} number drawn in {tries} tries")


if __name__ == '__main__':
    main(*sys.argv[1:])
