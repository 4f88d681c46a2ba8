"""What the dialer calls: which leads to dial now, and what came of it.

The API is kept stable for the dialer process (``dialer/``) and pacing:

* ``next_leads(campaign, count, now)``: up to ``count`` attempts, each a
  lead and the number to dial, created and marked as dialling;
* ``record_outcome(attempt, outcome, call=None)``: the PBX's answer;
* ``set_disposition(lead, disposition, callback_at=None, agent=None)``:
  the agent's result, which drives recycling and follow-up;
* ``abandon_counts(campaign, since)``: answers and drops since a time.

Times are naive UTC, as Tryton stores them. ``next_leads`` walks the
index on (task, dial state, next attempt, id) in order and stops at
``count``: the rules that need the number (do-not-call, 24 h limit,
per-number lockout) are checked on those candidates only. Rows are taken
``FOR UPDATE SKIP LOCKED`` and set to *dialing* in the same transaction,
so two dialers never get the same lead.
"""
import datetime as dt
from collections import defaultdict

from trytond.pool import Pool
from trytond.transaction import Transaction, without_check_access

from . import calendar
from .campaign import ABANDON_LOCKOUT
from .dnc import blocked_numbers

DAY = dt.timedelta(hours=24)
#: Rounds of candidates when some fail the per-number checks; only the
#: leads wanted are locked in a round, so a second dialer gets the rest.
_MAX_ROUNDS = 10


def next_leads(campaign, count, now=None, user=None):
    """Up to ``count`` new attempts to dial now for ``campaign``.

    ``user`` is the agent who will take the call when the dialer knows it
    (preview, progressive): callbacks set for that agent come to them;
    without it, callbacks kept for an agent are left alone."""
    now = now or dt.datetime.now()
    task = campaign.task
    if count <= 0 or not task or task.state != 'open':
        return []
    zones = calendar.open_zones(campaign, now)
    if not zones:
        return []
    with without_check_access():
        return _next_leads(campaign, count, now, zones, user)


def _next_leads(campaign, count, now, zones, user):
    picked, seen = [], []
    for _ in range(_MAX_ROUNDS):
        wanted = count - len(picked)
        candidates = _candidates(
            campaign, zones, now, user, wanted, seen)
        if not candidates:
            break
        seen.extend(candidates)
        picked.extend(_choose_numbers(campaign, candidates, now)[:wanted])
        if len(picked) >= count:
            break
    return _start_attempts(campaign, picked, now)


def _candidates(campaign, zones, now, user, limit, seen):
    "Ids of dialable leads in order, locked for this transaction."
    cursor = Transaction().connection.cursor()
    anyone = campaign.callback_to == 'anyone'
    cursor.execute(
        'SELECT l.id FROM callcenter_campaign_lead AS l '
        'WHERE l.task = %s AND l.dial_state = \'ready\' '
        'AND (l.next_attempt_at IS NULL OR l.next_attempt_at <= %s) '
        'AND l.timezone = ANY(%s) '
        'AND (l.attempt_count < %s OR l.callback_at IS NOT NULL) '
        'AND (l.callback_user IS NULL OR l.callback_user = %s OR %s) '
        'AND NOT (l.id = ANY(%s)) '
        'ORDER BY l.next_attempt_at ASC NULLS FIRST, l.id ASC '
        'LIMIT %s FOR UPDATE SKIP LOCKED',
        (campaign.task.id, now, zones, campaign.max_attempts or 1,
            user.id if user else -1, anyone, seen, limit))
    return [i for i, in cursor]


def _choose_numbers(campaign, lead_ids, now):
    """(lead id, number id) for the leads with a number to dial now, in
    the order of ``lead_ids``; the others are put off or closed."""
    numbers = _active_numbers(lead_ids)
    keys = [n['key'] for ns in numbers.values() for n in ns if n['key']]
    blocked = blocked_numbers(campaign.company.id, campaign.id, keys)
    blocked_everywhere = blocked_numbers(campaign.company.id, None, blocked)
    recent = _recent_attempts([n['id'] for ns in numbers.values()
            for n in ns], now)
    limit = campaign.max_number_attempts or 1
    chosen, put_off, closed, dnc = [], {}, [], []
    for lead_id in lead_ids:
        best, later = None, None
        for number in numbers.get(lead_id, []):
            if number['key'] in blocked:
                if number['key'] in blocked_everywhere:
                    dnc.append(number['id'])
                continue
            times = recent.get(number['id'], [])
            ready_at = number['next_attempt_at']
            if len(times) >= limit:
                freed = times[len(times) - limit] + DAY
                ready_at = max(ready_at or freed, freed)
            if ready_at and ready_at > now:
                later = min(later or ready_at, ready_at)
            elif best is None or len(times) < best[1]:
                best = (number['id'], len(times))
        if best:
            chosen.append((lead_id, best[0]))
        elif later:
            put_off[lead_id] = later
        else:
            closed.append(lead_id)
    _put_aside(put_off, closed, dnc)
    return chosen


def _active_numbers(lead_ids):
    pool = Pool()
    Number = pool.get('callcenter.campaign.lead.number')
    numbers = defaultdict(list)
    for number in Number.search([
                ('lead', 'in', lead_ids),
                ('state', '=', 'active'),
                ], order=[('lead', 'ASC'), ('sequence', 'ASC NULLS FIRST'),
                ('id', 'ASC')]):
        numbers[number.lead.id].append({
                'id': number.id, 'key': number.key,
                'next_attempt_at': number.next_attempt_at})
    return numbers


def _recent_attempts(number_ids, now):
    "Start times of each number's attempts in the last 24 hours, sorted."
    if not number_ids:
        return {}
    cursor = Transaction().connection.cursor()
    cursor.execute(
        'SELECT number, array_agg(started_at ORDER BY started_at) '
        'FROM callcenter_campaign_attempt '
        'WHERE number = ANY(%s) AND started_at > %s GROUP BY number',
        (number_ids, now - DAY))
    return dict(cursor)


def _put_aside(put_off, closed, dnc):
    "Leads to try later, leads with nothing left, numbers now blocked."
    pool = Pool()
    Lead = pool.get('callcenter.campaign.lead')
    Number = pool.get('callcenter.campaign.lead.number')
    if dnc:
        Number.write(Number.browse(dnc), {'state': 'do_not_call'})
    args = []
    for lead_id, when in put_off.items():
        args.extend([[Lead(lead_id)], {'next_attempt_at': when}])
    if closed:
        args.extend([Lead.browse(closed), {'dial_state': 'done'}])
    if args:
        Lead.write(*args)


def _start_attempts(campaign, picked, now):
    "Create the attempts of ``picked`` and mark their leads as dialling."
    pool = Pool()
    Attempt = pool.get('callcenter.campaign.attempt')
    Lead = pool.get('callcenter.campaign.lead')
    if not picked:
        return []
    leads = Lead.browse([lead_id for lead_id, _ in picked])
    by_count = defaultdict(list)
    for lead in leads:
        by_count[lead.attempt_count or 0].append(lead)
    args = []
    for done, group in by_count.items():
        args.extend([group, {
                    'dial_state': 'dialing', 'attempt_count': done + 1,
                    'last_attempt_at': now}])
    Lead.write(*args)
    return Attempt.create([{
                'company': campaign.company.id,
                'campaign': campaign.id,
                'lead': lead.id,
                'number': number_id,
                'started_at': now,
                'pass_number': lead.pass_number,
                } for lead, (_, number_id) in zip(leads, picked)])


def record_outcome(attempt, outcome, call=None, now=None, agent=None,
        talk_duration=None):
    """Store what the PBX answered for ``attempt`` and recycle its lead:
    live calls wait for the agent's disposition, the others come back
    after the campaign's delay for the outcome (72 h at least after an
    abandoned call), until the lead's attempts are used up."""
    now = now or dt.datetime.now()
    with without_check_access():
        _write_attempt(attempt, outcome, call, now, agent, talk_duration)
        _recycle_number(attempt, outcome, now)
        _recycle_lead(attempt, outcome, now)
    return attempt


def _write_attempt(attempt, outcome, call, now, agent, talk_duration):
    Attempt = Pool().get('callcenter.campaign.attempt')
    values = {'outcome': outcome, 'ended_at': now}
    if call is not None:
        values['call'] = int(call)
    if agent is not None:
        values['agent'] = int(agent)
    if talk_duration is not None:
        values['talk_duration'] = talk_duration
    Attempt.write([attempt], values)


def _recycle_number(attempt, outcome, now):
    Number = Pool().get('callcenter.campaign.lead.number')
    values = {'last_outcome': outcome}
    if outcome == 'invalid':
        values['state'] = 'invalid'
    elif outcome == 'abandoned':
        values['next_attempt_at'] = now + _delay(attempt.campaign, outcome)
    Number.write([attempt.number], values)


def _recycle_lead(attempt, outcome, now):
    Lead = Pool().get('callcenter.campaign.lead')
    lead, campaign = attempt.lead, attempt.campaign
    values = {'callback_at': None, 'callback_user': None}
    if outcome == 'live':
        values.update(dial_state='done', reached=True)
    else:
        values['next_attempt_at'] = now + _delay(campaign, outcome)
        used_up = (lead.attempt_count or 0) >= (campaign.max_attempts or 1)
        values['dial_state'] = 'done' if used_up else 'ready'
    Lead.write([lead], values)


def _delay(campaign, outcome):
    "How long a lead waits after ``outcome``."
    delay = {
        'no_answer': campaign.no_answer_delay,
        'busy': campaign.busy_delay,
        'machine': campaign.machine_delay,
        'invalid': dt.timedelta(0),
        'abandoned': campaign.abandoned_delay,
        }.get(outcome) or dt.timedelta(0)
    if outcome == 'abandoned':
        delay = max(delay, ABANDON_LOCKOUT)
    return delay


def set_disposition(lead, disposition, callback_at=None, agent=None,
        attempt=None, now=None):
    """Give ``lead`` the agent's result: set its follow-up state and when
    (or whether) it is dialled again; a callback comes back at
    ``callback_at``, kept for ``agent`` when the campaign says so."""
    pool = Pool()
    Lead = pool.get('callcenter.campaign.lead')
    Attempt = pool.get('callcenter.campaign.attempt')
    now = now or dt.datetime.now()
    if attempt is None:
        attempts = Attempt.search([('lead', '=', lead.id)],
            order=[('started_at', 'DESC'), ('id', 'DESC')], limit=1)
        attempt = attempts[0] if attempts else None
    with without_check_access():
        if attempt:
            Attempt.write([attempt], {'disposition': disposition.id})
        values = _disposition_values(
            lead, disposition, callback_at, agent, now)
        Lead.write([lead], values)
        _disposition_numbers(lead, disposition, attempt)
    return lead


def _disposition_values(lead, disposition, callback_at, agent, now):
    values = {'disposition': disposition.id, 'callback_at': None,
        'callback_user': None, 'callback_notified': False}
    if disposition.follow_up_state:
        values['follow_up_state'] = disposition.follow_up_state
    action = disposition.action
    if action == 'callback':
        values.update(_callback_values(disposition, callback_at, agent))
    elif action == 'recycle':
        delay = disposition.recycle_delay or dt.timedelta(0)
        values.update(dial_state='ready', next_attempt_at=now + delay)
    else:
        values['dial_state'] = 'done'
    if action == 'do_not_call':
        values['follow_up_state'] = 'do_not_call'
    return values


def _callback_values(disposition, callback_at, agent):
    from trytond.i18n import gettext

    from .exceptions import CallbackTimeError
    if not callback_at:
        raise CallbackTimeError(gettext(
                'callcenter_campaign.msg_callback_time',
                disposition=disposition.rec_name))
    return {
        'dial_state': 'ready', 'next_attempt_at': callback_at,
        'callback_at': callback_at, 'attempt_count': 0,
        'callback_user': int(agent) if agent else None,
        'follow_up_state': disposition.follow_up_state or 'callback',
        }


def _disposition_numbers(lead, disposition, attempt):
    pool = Pool()
    Number = pool.get('callcenter.campaign.lead.number')
    DoNotCall = pool.get('callcenter.campaign.dnc')
    if disposition.invalid_number and attempt:
        Number.write([attempt.number], {'state': 'invalid'})
    if disposition.action == 'do_not_call':
        numbers = [n for n in lead.numbers if n.state == 'active']
        DoNotCall.add_numbers(lead.company, [n.number for n in numbers],
            reason=disposition.rec_name)
        if numbers:
            Number.write(numbers, {'state': 'do_not_call'})


def abandon_counts(campaign, since):
    """Outcomes of ``campaign``'s attempts started since ``since``, and the
    abandon rate in % of calls a person answered (UK and US counting:
    machines, no answers, busy and invalid numbers are left out)."""
    cursor = Transaction().connection.cursor()
    cursor.execute(
        'SELECT outcome, COUNT(*) FROM callcenter_campaign_attempt '
        'WHERE campaign = %s AND started_at >= %s GROUP BY outcome',
        (campaign.id, since))
    counts = dict.fromkeys(['live', 'machine', 'busy', 'no_answer',
            'invalid', 'abandoned', None], 0)
    counts.update(cursor)
    counts['pending'] = counts.pop(None)
    counts['dialled'] = sum(counts.values())
    answered = counts['live'] + counts['abandoned']
    counts['answered'] = answered
    counts['rate'] = (
        100.0 * counts['abandoned'] / answered if answered else 0.0)
    return counts


def second_pass(campaigns):
    """Dial again the leads of the campaigns' tasks never reached (二次外呼):
    their attempts start over, their number lockouts stay."""
    pool = Pool()
    Lead = pool.get('callcenter.campaign.lead')
    tasks = {c.task.id for c in campaigns if c.task}
    with without_check_access():
        leads = Lead.search([
                ('task', 'in', list(tasks)),
                ('dial_state', '=', 'done'),
                ('reached', '=', False),
                ('disposition', '=', None),
                ('numbers.state', '=', 'active'),
                ])
        by_pass = defaultdict(list)
        for lead in leads:
            by_pass[lead.pass_number or 1].append(lead)
        args = []
        for number, group in by_pass.items():
            args.extend([group, {'dial_state': 'ready', 'attempt_count': 0,
                        'next_attempt_at': None, 'pass_number': number + 1}])
        if args:
            Lead.write(*args)
    return leads
