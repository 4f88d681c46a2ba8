"""What the dialer calls: which leads to dial now, and what came of it.

The API is kept stable for the dialer process (``dialer/``) and pacing:

* ``next_leads(campaign, count, now)``: up to ``count`` attempts, each a
  lead and the number to dial, created and marked as dialling;
* ``record_outcome(attempt, outcome, call=None)``: the PBX's answer;
* ``set_disposition(lead, disposition, callback_at=None, agent=None)``:
  the agent's result, which drives recycling and follow-up;
* ``abandon_counts(campaign, since)``: answers and drops since a time.

Times are naive UTC, as Tryton stores them. The dialer's hot path
(``next_leads``, ``record_outcome``) reads and writes with SQL on purpose:
through the ORM a round took several times longer
(``bench/campaign_dialing.py``); the rows are system fields, read-only in
the client, and stamped with the user and time like the ORM does.

``next_leads`` walks the index on (task, dial state, next attempt, id) in order and stops at
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
from .dnc import blocking_lists

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
    settings = _Settings.read(int(campaign))
    if (count <= 0 or settings.state != 'running'
            or settings.task_state != 'open'):
        return []
    zones = calendar.open_zones(settings, now)
    if not zones:
        return []
    return _next_leads(settings, count, now, zones, user)


class _Settings:
    "What ``next_leads`` needs of a campaign and its task, in one query."
    __slots__ = ('id', 'state', 'task_id', 'task_state', 'company_id',
        'max_attempts', 'max_number_attempts', 'callback_to',
        'skip_holidays', '_windows')

    @classmethod
    def read(cls, campaign_id):
        cursor = Transaction().connection.cursor()
        cursor.execute(
            'SELECT c.id, c.state, c.task, t.state, c.company, '
            'c.max_attempts, c.max_number_attempts, c.callback_to, '
            'c.skip_holidays, c.morning_start, c.morning_end, '
            'c.afternoon_start, c.afternoon_end '
            'FROM callcenter_campaign AS c '
            'LEFT JOIN callcenter_campaign_task AS t ON t.id = c.task '
            'WHERE c.id = %s', (campaign_id,))
        row = cursor.fetchone()
        settings = cls()
        for name, value in zip(cls.__slots__[:-1], row):
            setattr(settings, name, value)
        settings._windows = [(s, e) for s, e in [row[9:11], row[11:13]]
            if s and e]
        return settings

    def windows(self):
        return self._windows


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
        (campaign.task_id, now, zones, campaign.max_attempts or 1,
            user.id if user else -1, anyone, seen, limit))
    return [i for i, in cursor]


def _choose_numbers(campaign, lead_ids, now):
    """(lead id, number id) for the leads with a number to dial now, in
    the order of ``lead_ids``; the others are put off or closed."""
    numbers = _active_numbers(lead_ids, now)
    keys = [n['key'] for ns in numbers.values() for n in ns if n['key']]
    blocked = blocking_lists(campaign.company_id, campaign.id, keys)
    limit = campaign.max_number_attempts or 1
    chosen, put_off, closed, dnc = [], {}, [], []
    for lead_id in lead_ids:
        best, later = None, None
        for number in numbers.get(lead_id, []):
            if number['key'] in blocked:
                if blocked[number['key']]:
                    dnc.append(number['id'])
                continue
            times = number['recent']
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


def _active_numbers(lead_ids, now):
    """The active numbers of each lead, in the lead's order of numbers,
    with the start times of their attempts in the last 24 hours."""
    cursor = Transaction().connection.cursor()
    cursor.execute(
        'SELECT n.lead, n.id, n.key, n.next_attempt_at, ARRAY('
        'SELECT a.started_at FROM callcenter_campaign_attempt AS a '
        'WHERE a.number = n.id AND a.started_at > %s '
        'ORDER BY a.started_at) '
        'FROM callcenter_campaign_lead_number AS n '
        'WHERE n.lead = ANY(%s) AND n.state = \'active\' '
        'ORDER BY n.lead, n.sequence ASC NULLS FIRST, n.id',
        (now - DAY, lead_ids))
    numbers = defaultdict(list)
    for lead, id_, key, next_attempt_at, recent in cursor:
        numbers[lead].append({'id': id_, 'key': key,
                'next_attempt_at': next_attempt_at, 'recent': recent})
    return numbers


def _put_aside(put_off, closed, dnc):
    "Leads to try later, leads with nothing left, numbers now blocked."
    cursor = Transaction().connection.cursor()
    user, now = _stamp()
    if dnc:
        cursor.execute(
            'UPDATE callcenter_campaign_lead_number SET state = '
            '\'do_not_call\', write_uid = %s, write_date = %s '
            'WHERE id = ANY(%s)', (user, now, dnc))
    if put_off:
        cursor.execute(
            'UPDATE callcenter_campaign_lead AS l SET next_attempt_at = '
            'v.later, write_uid = %s, write_date = %s '
            'FROM unnest(%s::integer[], %s::timestamp[]) AS v(id, later) '
            'WHERE l.id = v.id',
            (user, now, list(put_off), list(put_off.values())))
    if closed:
        cursor.execute(
            'UPDATE callcenter_campaign_lead SET dial_state = \'done\', '
            'write_uid = %s, write_date = %s WHERE id = ANY(%s)',
            (user, now, closed))
    _written()


def _written():
    "Drop the records' cached values after a write by SQL (as the ORM)."
    Transaction().counter += 1


def _stamp():
    "The user and time to stamp rows written by SQL with."
    return Transaction().user, dt.datetime.now()


def _start_attempts(campaign, picked, now):
    "Create the attempts of ``picked`` and mark their leads as dialling."
    Attempt = Pool().get('callcenter.campaign.attempt')
    if not picked:
        return []
    lead_ids = [lead_id for lead_id, _ in picked]
    number_ids = [number_id for _, number_id in picked]
    cursor = Transaction().connection.cursor()
    user, stamp = _stamp()
    cursor.execute(
        'UPDATE callcenter_campaign_lead SET dial_state = \'dialing\', '
        'attempt_count = COALESCE(attempt_count, 0) + 1, '
        'last_attempt_at = %s, write_uid = %s, write_date = %s '
        'WHERE id = ANY(%s)', (now, user, stamp, lead_ids))
    cursor.execute(
        'INSERT INTO callcenter_campaign_attempt (company, campaign, lead, '
        'number, started_at, pass_number, create_uid, create_date) '
        'SELECT %s, %s, v.lead, v.number, %s, l.pass_number, %s, %s '
        'FROM unnest(%s::integer[], %s::integer[], %s::integer[]) '
        'AS v(lead, number, ord) '
        'JOIN callcenter_campaign_lead AS l ON l.id = v.lead '
        'ORDER BY v.ord RETURNING id',
        (campaign.company_id, campaign.id, now, user, stamp, lead_ids,
            number_ids, list(range(len(picked)))))
    ids = sorted(i for i, in cursor)
    _written()
    return Attempt.browse(ids)


def record_outcome(attempt, outcome, call=None, now=None, agent=None,
        talk_duration=None):
    """Store what the PBX answered for ``attempt`` and recycle its lead:
    live calls wait for the agent's disposition, the others come back
    after the campaign's delay for the outcome (72 h at least after an
    abandoned call), until the lead's attempts are used up."""
    now = now or dt.datetime.now()
    campaign = attempt.campaign
    cursor = Transaction().connection.cursor()
    user, stamp = _stamp()
    cursor.execute(
        'UPDATE callcenter_campaign_attempt SET outcome = %s, ended_at = %s,'
        ' call = COALESCE(%s, call), agent = COALESCE(%s, agent), '
        'talk_duration = COALESCE(%s, talk_duration), write_uid = %s, '
        'write_date = %s WHERE id = %s RETURNING lead, number',
        (outcome, now, int(call) if call is not None else None,
            int(agent) if agent is not None else None, talk_duration,
            user, stamp, attempt.id))
    lead_id, number_id = cursor.fetchone()
    _recycle_number(number_id, outcome, now, campaign)
    _recycle_lead(lead_id, outcome, now, campaign)
    _written()
    return attempt


def _recycle_number(number_id, outcome, now, campaign):
    cursor = Transaction().connection.cursor()
    user, stamp = _stamp()
    state = 'invalid' if outcome == 'invalid' else None
    lockout = (now + _delay(campaign, outcome)
        if outcome == 'abandoned' else None)
    cursor.execute(
        'UPDATE callcenter_campaign_lead_number SET last_outcome = %s, '
        'state = COALESCE(%s, state), '
        'next_attempt_at = COALESCE(%s, next_attempt_at), '
        'write_uid = %s, write_date = %s WHERE id = %s',
        (outcome, state, lockout, user, stamp, number_id))


def _recycle_lead(lead_id, outcome, now, campaign):
    cursor = Transaction().connection.cursor()
    user, stamp = _stamp()
    if outcome == 'live':
        cursor.execute(
            'UPDATE callcenter_campaign_lead SET dial_state = \'done\', '
            'reached = TRUE, callback_at = NULL, callback_user = NULL, '
            'write_uid = %s, write_date = %s WHERE id = %s',
            (user, stamp, lead_id))
    else:
        cursor.execute(
            'UPDATE callcenter_campaign_lead SET next_attempt_at = %s, '
            'dial_state = CASE WHEN COALESCE(attempt_count, 0) >= %s '
            'THEN \'done\' ELSE \'ready\' END, callback_at = NULL, '
            'callback_user = NULL, write_uid = %s, write_date = %s '
            'WHERE id = %s',
            (now + _delay(campaign, outcome), campaign.max_attempts or 1,
                user, stamp, lead_id))


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
