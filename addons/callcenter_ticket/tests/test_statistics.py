"Ticket statistics by type, state, agent, team and period."
import datetime as dt

from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import _DBTestCase, with_transaction
from trytond.transaction import Transaction

from .tools import (
    at, create_team, create_ticket, create_type, create_user, frozen_now)


def statistics(group_by, period='month', **context):
    "The statistics rows as {key: row} for the group_by dimension."
    Statistics = Pool().get('callcenter.ticket.statistics')
    with Transaction().set_context(
            group_by=group_by, period=period, **context):
        rows = Statistics.search([])
        return {_key(getattr(r, group_by)): r for r in rows}


def _key(value):
    return value if isinstance(value, str) else value.id


def handle(ticket, respond_hour, resolve_hour=None):
    "Submit at 9:00 on Monday 23, accept and maybe resolve later that day."
    Ticket = Pool().get('callcenter.ticket')
    with frozen_now(at(9, days=3)):
        Ticket.submit([ticket])
    if respond_hour:
        with frozen_now(at(respond_hour, days=3)):
            Ticket.accept([ticket])
    if resolve_hour:
        with frozen_now(at(resolve_hour, days=3)):
            Ticket.resolve([ticket])


class TicketStatisticsTestCase(_DBTestCase):
    "Test ticket statistics"
    module = 'callcenter_ticket'

    @with_transaction()
    def test_figures_by_type(self):
        "Counts, average times and breach rate per type"
        company = create_company()
        with set_company(company):
            complaint = create_type("Complaint", response=2, resolution=8)
            consult = create_type("Consult")
            handle(create_ticket(complaint), 10, 13)
            handle(create_ticket(complaint), 12)
            handle(create_ticket(consult), None)
            rows = statistics('type')
        row = rows[complaint.id]
        self.assertEqual(row.count, 2)
        self.assertAlmostEqual(row.response_hours, 2.0)
        self.assertAlmostEqual(row.resolution_hours, 4.0)
        self.assertEqual(row.breached, 1)
        self.assertAlmostEqual(row.breach_rate, 0.5)
        self.assertEqual(row.period, dt.date(2026, 11, 1))
        self.assertEqual(row.group_label, "Complaint")
        self.assertEqual(rows[consult.id].count, 1)
        self.assertIsNone(rows[consult.id].response_hours)
        self.assertEqual(rows[consult.id].breach_rate, 0)

    @with_transaction()
    def test_times_in_business_hours(self):
        "Nights, the weekend and waiting on the customer are not counted"
        Ticket = Pool().get('callcenter.ticket')
        company = create_company()
        with set_company(company):
            type_ = create_type()
            ticket = create_ticket(type_)
            with frozen_now(at(17)):  # Friday 17:00
                Ticket.submit([ticket])
            with frozen_now(at(10, days=3)):  # Monday 10:00
                Ticket.accept([ticket])
            with frozen_now(at(11, days=3)):
                Ticket.wait([ticket])
            with frozen_now(at(10, days=4)):  # Tuesday 10:00
                Ticket.process([ticket])
            with frozen_now(at(12, days=4)):
                Ticket.resolve([ticket])
            ticket = Ticket(ticket.id)
            row = statistics('type')[type_.id]
        # Friday 17-18 and Monday 9-10.
        self.assertAlmostEqual(ticket.response_business_hours, 2.0)
        # Friday 1 h + Monday 9 h + Tuesday 3 h, less 8 h waiting.
        self.assertAlmostEqual(ticket.resolution_business_hours, 5.0)
        self.assertAlmostEqual(row.response_business_hours, 2.0)
        self.assertAlmostEqual(row.resolution_business_hours, 5.0)
        self.assertAlmostEqual(row.response_hours, 65.0)
        self.assertAlmostEqual(row.resolution_hours, 91.0)

    @with_transaction()
    def test_figures_by_state_and_period(self):
        "Tickets are grouped by state, per week or day"
        Ticket = Pool().get('callcenter.ticket')
        company = create_company()
        with set_company(company):
            type_ = create_type()
            handle(create_ticket(type_), 10, 11)
            handle(create_ticket(type_), 10, 11)
            handle(create_ticket(type_), 10)
            late = create_ticket(type_)
            with frozen_now(at(9, days=10)):
                Ticket.submit([late])
            weekly = Pool().get('callcenter.ticket.statistics')
            with Transaction().set_context(group_by='state', period='week'):
                weeks = sorted((r.period, r.state, r.count)
                    for r in weekly.search([]))
            daily = statistics('state', period='day',
                from_date=dt.date(2026, 11, 23),
                to_date=dt.date(2026, 11, 23))
        self.assertEqual(weeks, [
                (dt.date(2026, 11, 23), 'in_progress', 1),
                (dt.date(2026, 11, 23), 'resolved', 2),
                (dt.date(2026, 11, 30), 'open', 1),
                ])
        self.assertEqual(
            {k: r.count for k, r in daily.items()},
            {'resolved': 2, 'in_progress': 1})
        self.assertEqual(daily['resolved'].group_label, "Resolved")

    @with_transaction()
    def test_by_team(self):
        "Tickets are counted per team"
        company = create_company()
        with set_company(company):
            leader = create_user('leader', company, 'group_team_leader')
            team_a = create_team("Team A", leader)
            team_b = create_team("Team B", leader)
            type_ = create_type()
            for team in [team_a, team_a, team_b]:
                handle(create_ticket(type_, team=team.id), 10)
            rows = statistics('team')
        self.assertEqual(rows[team_a.id].count, 2)
        self.assertEqual(rows[team_b.id].count, 1)

    @with_transaction()
    def test_each_role_counts_the_tickets_it_may_read(self):
        "Agents count their own tickets, leaders their team, admins all"
        company = create_company()
        with set_company(company):
            agent = create_user('agent', company, 'group_agent')
            other = create_user('other', company, 'group_agent')
            outsider = create_user('outsider', company, 'group_agent')
            leader = create_user('leader', company, 'group_team_leader')
            admin = create_user('ccadmin', company, 'group_admin')
            team = create_team("Team A", leader, agent, other)
            type_ = create_type()
            for assignee in [agent, agent, other, outsider]:
                handle(create_ticket(
                        type_, assignee=assignee.id,
                        team=team.id if assignee != outsider else None),
                    None)

            def counts(user):
                with Transaction().set_user(user.id), \
                        Transaction().set_context(_check_access=True):
                    return {k: r.count
                        for k, r in statistics('agent').items()}
            self.assertEqual(counts(agent), {agent.id: 2})
            self.assertEqual(counts(leader), {agent.id: 2, other.id: 1})
            self.assertEqual(counts(admin),
                {agent.id: 2, other.id: 1, outsider.id: 1})

    @with_transaction()
    def test_other_company_not_counted(self):
        "Only the tickets of the current company are counted"
        other_company = create_company("Other")
        with set_company(other_company):
            handle(create_ticket(create_type()), 10)
        company = create_company()
        with set_company(company):
            self.assertEqual(statistics('type'), {})


del _DBTestCase
