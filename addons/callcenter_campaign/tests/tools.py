"Fixtures shared by the campaign tests."
import datetime as dt
from contextlib import contextmanager

from trytond.pool import Pool

# 2026-12-07 is a Monday. 02:00 UTC is 10:00 in Shanghai, 21:00 (Sunday)
# in New York and 02:00 in London.
MONDAY = dt.date(2026, 12, 7)
SHANGHAI = '+8613800138000'
NEW_YORK = '+12125550100'
LONDON = '+442071234567'


def at(hour, minute=0, days=0):
    "A UTC moment relative to MONDAY."
    return dt.datetime.combine(
        MONDAY + dt.timedelta(days=days), dt.time(hour, minute))


def create_user(login, company, *group_xml_ids):
    "A user of company in the given callcenter_base groups."
    pool = Pool()
    User = pool.get('res.user')
    ModelData = pool.get('ir.model.data')
    groups = [ModelData.get_id('callcenter_base', g) for g in group_xml_ids]
    user, = User.create([{
                'login': login, 'name': login.title(),
                'groups': [('add', groups)],
                'companies': [('add', [company.id])],
                'company': company.id,
                }])
    return user


def create_team(name, leader, *members):
    Team = Pool().get('callcenter.team')
    team, = Team.create([{
                'name': name, 'leader': leader.id,
                'members': [('add', [leader.id] + [m.id for m in members])],
                }])
    return team


def create_task(name="Spring leads", *numbers, **lead_values):
    "An open task with one lead per number (a list for several numbers)."
    Task = Pool().get('callcenter.campaign.task')
    task, = Task.create([{'name': name, 'state': 'open'}])
    add_leads(task, *numbers, **lead_values)
    return task


def add_leads(task, *numbers, **lead_values):
    Lead = Pool().get('callcenter.campaign.lead')
    return Lead.create([dict({
                    'task': task.id,
                    'name': f"Lead {i}",
                    'numbers': [('create', [{'number': n} for n in (
                                    number if isinstance(number, list)
                                    else [number])])],
                    }, **lead_values) for i, number in enumerate(numbers)])


def create_campaign(task, **values):
    "A running campaign over task dialling 9:00-12:00 and 14:00-20:00."
    Campaign = Pool().get('callcenter.campaign')
    campaign, = Campaign.create([dict({
                    'name': "Spring", 'task': task.id,
                    'dial_mode': 'predictive', 'pacing_ratio': 2,
                    }, **values)])
    Campaign.start([campaign])
    return campaign


def create_disposition(name, code, action='recycle', **values):
    Disposition = Pool().get('callcenter.campaign.disposition')
    disposition, = Disposition.create([dict(
                name=name, code=code, action=action, **values)])
    return disposition


@contextmanager
def as_user(user):
    "Act as ``user`` with access rights and record rules checked."
    from trytond.transaction import Transaction
    with Transaction().set_user(user.id), \
            Transaction().set_context(_check_access=True):
        yield
