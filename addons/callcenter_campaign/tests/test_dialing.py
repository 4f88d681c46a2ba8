"The dialer's API: who to dial now, and what an outcome does."
import datetime as dt

from trytond.exceptions import UserError
from trytond.modules.company.tests import create_company, set_company
from trytond.pool import Pool
from trytond.tests.test_tryton import DB_NAME, _DBTestCase, with_transaction
from trytond.transaction import Transaction

from ..dialing import (
    abandon_counts, next_leads, record_outcome, second_pass,
    set_disposition)
from .tools import (
    LONDON, NEW_YORK, SHANGHAI, add_leads, at, create_campaign,
    create_disposition, create_task, create_user)

H = dt.timedelta(hours=1)


def numbers(attempts):
    return sorted(a.number.number for a in attempts)


class DialingTestCase(_DBTestCase):
    "Test the dialing rules of campaigns"
    module = 'callcenter_campaign'

    @with_transaction()
    def test_window_in_lead_time_zone(self):
        "A lead is dialled only inside the windows of its own local time"
        with set_company(create_company()):
            campaign = create_campaign(
                create_task("Mixed", SHANGHAI, NEW_YORK, LONDON))
            lead_zones = {l.timezone for l in campaign.task.leads}
            self.assertEqual(lead_zones, {
                    'Asia/Shanghai', 'America/New_York', 'Europe/London'})
            # 10:00 in Shanghai, 21:00 in New York, 02:00 in London.
            self.assertEqual(
                numbers(next_leads(campaign, 10, at(2))), [SHANGHAI])
            # 23:00 in Shanghai, 10:00 in New York, 15:00 in London.
            self.assertEqual(numbers(next_leads(campaign, 10, at(15))),
                sorted([NEW_YORK, LONDON]))
            # 12:30 in London: between the windows.
            self.assertEqual(next_leads(campaign, 10, at(12, 30)), [])

    @with_transaction()
    def test_holiday_in_lead_time_zone(self):
        "No lead is dialled on a holiday of its own local date"
        Holiday = Pool().get('callcenter.campaign.holiday')
        with set_company(create_company()):
            campaign = create_campaign(create_task("Xmas", SHANGHAI, LONDON))
            Holiday.create([{'date': at(0, days=1).date(), 'name': "Rest"}])
            # Tuesday 01:00 UTC: 09:00 Tuesday in Shanghai (a holiday).
            self.assertEqual(next_leads(campaign, 10, at(1, days=1)), [])
            # Monday 15:00 UTC: 15:00 Monday in London.
            self.assertEqual(
                numbers(next_leads(campaign, 10, at(15))), [LONDON])

    @with_transaction()
    def test_do_not_call_numbers_and_prefixes(self):
        "Numbers on a do-not-call list, full or by prefix, are not dialled"
        DoNotCall = Pool().get('callcenter.campaign.dnc')
        with set_company(create_company()):
            task = create_task("DNC", SHANGHAI, '+8613900001111',
                '+864001234567', '+8613700002222')
            campaign = create_campaign(task)
            other = create_campaign(
                create_task("Other", '+8613700002222'), name="Autumn")
            DoNotCall.create([
                    {'number': '+86139', 'prefix': True},
                    {'number': '400', 'prefix': True},
                    {'number': '+8613700002222', 'campaign': campaign.id},
                    ])
            self.assertEqual(
                numbers(next_leads(campaign, 10, at(2))), [SHANGHAI])
            # The campaign's own entry does not bind the other campaign.
            self.assertEqual(
                numbers(next_leads(other, 10, at(2))), ['+8613700002222'])
            blocked = [n.number for l in task.leads for n in l.numbers
                if n.state == 'do_not_call']
            self.assertEqual(
                sorted(blocked), ['+8613900001111', '+864001234567'])

    @with_transaction()
    def test_attempt_limit_per_lead(self):
        "A lead is dialled no more than the campaign's attempts per lead"
        with set_company(create_company()):
            campaign = create_campaign(create_task(
                    "Limit", [SHANGHAI, '+8613900001111']),
                max_attempts=2, no_answer_delay=dt.timedelta(0))
            for hour in [2, 3]:
                attempt, = next_leads(campaign, 1, at(hour))
                record_outcome(attempt, 'no_answer', now=at(hour, 1))
            self.assertEqual(next_leads(campaign, 1, at(4)), [])
            lead, = campaign.task.leads
            self.assertEqual((lead.dial_state, lead.attempt_count),
                ('done', 2))

    @with_transaction()
    def test_attempt_limit_per_number_in_24_hours(self):
        "A number is dialled no more than its limit in any 24 hours"
        with set_company(create_company()):
            campaign = create_campaign(create_task("Per number", SHANGHAI),
                max_number_attempts=2, no_answer_delay=dt.timedelta(0))
            for hour in [1, 2]:
                attempt, = next_leads(campaign, 1, at(hour))
                record_outcome(attempt, 'no_answer', now=at(hour, 1))
            self.assertEqual(next_leads(campaign, 1, at(3)), [])
            # The first of the two falls out of the 24 h at Tuesday 01:00.
            self.assertEqual(next_leads(campaign, 1, at(0, 59, days=1)), [])
            self.assertEqual(
                numbers(next_leads(campaign, 1, at(1, 1, days=1))),
                [SHANGHAI])

    @with_transaction()
    def test_recycle_delay_per_outcome(self):
        "A busy number is dialled again after the busy delay, not before"
        with set_company(create_company()):
            campaign = create_campaign(create_task("Busy", SHANGHAI),
                busy_delay=dt.timedelta(minutes=15))
            attempt, = next_leads(campaign, 1, at(2))
            record_outcome(attempt, 'busy', now=at(2, 1))
            self.assertEqual(next_leads(campaign, 1, at(2, 10)), [])
            self.assertEqual(len(next_leads(campaign, 1, at(2, 16))), 1)

    @with_transaction()
    def test_abandoned_number_locked_72_hours(self):
        "An abandoned call's number is not dialled again within 72 hours"
        with set_company(create_company()):
            with self.assertRaises(UserError):
                create_campaign(create_task("Short", SHANGHAI),
                    abandoned_delay=dt.timedelta(hours=4))
            campaign = create_campaign(
                create_task("Drop", [SHANGHAI, '+8613900001111']))
            attempt, = next_leads(campaign, 1, at(2))
            record_outcome(attempt, 'abandoned', now=at(2))
            # Thursday 01:59 UTC: 71 h 59 min later, inside the window.
            self.assertEqual(next_leads(campaign, 1, at(1, 59, days=3)), [])
            again, = next_leads(campaign, 1, at(2, 1, days=3))
            self.assertEqual(again.lead, attempt.lead)

    @with_transaction()
    def test_lead_being_dialled_not_returned(self):
        "A lead being dialled is not handed out again"
        with set_company(create_company()):
            campaign = create_campaign(
                create_task("Busy day", SHANGHAI, '+8613900001111'))
            first = next_leads(campaign, 1, at(2))
            second = next_leads(campaign, 5, at(2))
            self.assertEqual(len(first + second), 2)
            self.assertNotEqual(first[0].lead, second[0].lead)
            self.assertEqual(next_leads(campaign, 5, at(2)), [])

    @with_transaction()
    def test_second_pass(self):
        "The second pass dials again the leads never reached"
        with set_company(create_company()):
            campaign = create_campaign(
                create_task("Twice", SHANGHAI, '+8613900001111'),
                max_attempts=1)
            unreached, reached = next_leads(campaign, 2, at(2))
            record_outcome(unreached, 'no_answer', now=at(2))
            record_outcome(reached, 'live', now=at(2))
            self.assertEqual(next_leads(campaign, 2, at(7)), [])
            second_pass([campaign])
            again, = next_leads(campaign, 2, at(7))
            self.assertEqual(again.lead, unreached.lead)
            self.assertEqual((again.pass_number, again.lead.pass_number),
                (2, 2))

    @with_transaction()
    def test_callback_comes_back_to_its_agent(self):
        "A callback comes back to the agent who set it, at its time"
        with set_company(company := create_company()):
            alice = create_user('alice', company, 'group_agent')
            bob = create_user('bob', company, 'group_agent')
            campaign = create_campaign(create_task("Callbacks", SHANGHAI))
            callback = create_disposition(
                "Call back", 'callback', action='callback')
            attempt, = next_leads(campaign, 1, at(2), user=alice)
            record_outcome(attempt, 'live', now=at(2, 1), agent=alice)
            set_disposition(attempt.lead, callback, callback_at=at(6),
                agent=alice, now=at(2, 5))
            self.assertEqual(next_leads(campaign, 1, at(5), user=alice), [])
            self.assertEqual(next_leads(campaign, 1, at(6, 1), user=bob), [])
            self.assertEqual(next_leads(campaign, 1, at(6, 1)), [])
            back, = next_leads(campaign, 1, at(6, 1), user=alice)
            self.assertEqual(back.lead, attempt.lead)
            self.assertEqual(back.lead.follow_up_state, 'callback')

    @with_transaction()
    def test_disposition_recycles_and_sets_follow_up(self):
        "A disposition sets the follow-up state and when to call again"
        with set_company(create_company()):
            campaign = create_campaign(
                create_task("Results", SHANGHAI, '+8613900001111'))
            later = create_disposition("Not now", 'later',
                recycle_delay=dt.timedelta(days=1),
                follow_up_state='following')
            dnc = create_disposition("Stop calling", 'dnc',
                action='do_not_call')
            first, second = next_leads(campaign, 2, at(2))
            for attempt in [first, second]:
                record_outcome(attempt, 'live', now=at(2, 1))
            set_disposition(first.lead, later, now=at(2, 5))
            set_disposition(second.lead, dnc, now=at(2, 5))
            self.assertEqual(first.lead.follow_up_state, 'following')
            self.assertEqual(first.disposition, later)
            self.assertEqual(second.lead.follow_up_state, 'do_not_call')
            self.assertEqual(next_leads(campaign, 2, at(3)), [])
            again, = next_leads(campaign, 2, at(2, 6, days=1))
            self.assertEqual(again.lead, first.lead)
            # The number is now on the company's list for every task.
            other = create_campaign(
                create_task("Other", second.number.number), name="Other")
            self.assertEqual(next_leads(other, 1, at(2)), [])

    @with_transaction()
    def test_abandon_rate_counts_live_answers_only(self):
        "The abandon rate leaves machines and unanswered calls out"
        with set_company(create_company()):
            campaign = create_campaign(create_task("Rate",
                    *[f'+861380013{i:04d}' for i in range(10)]))
            outcomes = ['live'] * 3 + ['abandoned'] + ['machine'] * 3 + [
                'no_answer'] * 2 + ['busy']
            for attempt, outcome in zip(
                    next_leads(campaign, 10, at(2)), outcomes):
                record_outcome(attempt, outcome, now=at(2, 1))
            counts = abandon_counts(campaign, at(2) - 24 * H)
            self.assertEqual((counts['dialled'], counts['answered'],
                    counts['abandoned']), (10, 4, 1))
            self.assertEqual(counts['rate'], 25.0)
            self.assertEqual(abandon_counts(campaign, at(3))['dialled'], 0)


class ConcurrentDialingTestCase(_DBTestCase):
    "Test two dialers at once"
    module = 'callcenter_campaign'

    def test_no_double_dial_under_two_transactions(self):
        "Two transactions dialling at once never get the same lead"
        with Transaction().start(DB_NAME, 0) as transaction:
            with set_company(create_company()):
                campaign = create_campaign(create_task("Race",
                        *[f'+861380013{i:04d}' for i in range(6)]))
            transaction.commit()
            campaign_id = campaign.id
        try:
            with Transaction().start(DB_NAME, 0):
                Campaign = Pool().get('callcenter.campaign')
                ones = [a.lead.id for a in next_leads(
                        Campaign(campaign_id), 4, at(2))]
                with Transaction().new_transaction():
                    twos = [a.lead.id for a in next_leads(
                            Campaign(campaign_id), 4, at(2))]
            self.assertEqual(len(ones), 4)
            self.assertEqual(len(twos), 2)
            self.assertFalse(set(ones) & set(twos))
        finally:
            self._delete(campaign_id)

    def _delete(self, campaign_id):
        with Transaction().start(DB_NAME, 0) as transaction:
            pool = Pool()
            campaign = pool.get('callcenter.campaign')(campaign_id)
            task = campaign.task
            pool.get('callcenter.campaign').delete([campaign])
            pool.get('callcenter.campaign.task').delete([task])
            transaction.commit()

