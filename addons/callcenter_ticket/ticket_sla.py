"""Service-level timers of tickets: due dates, pauses, breaches."""
import datetime as dt

from trytond.i18n import gettext
from trytond.model import Index, fields
from trytond.pool import Pool

from .business_hours import to_local, to_utc

OPEN_STATES = ['open', 'in_progress', 'waiting']


class TicketSLAMixin:
    "Fields and helpers of the SLA clocks, mixed into the ticket."
    __slots__ = ()
    opened_at = fields.DateTime(
        "Opened At", readonly=True,
        help="When the ticket was submitted; the SLA clocks start here.")
    response_due = fields.DateTime(
        "Response Due", readonly=True,
        help="An agent must accept the ticket before this moment.")
    responded_at = fields.DateTime("Responded At", readonly=True)
    resolution_due = fields.DateTime(
        "Resolution Due", readonly=True,
        help="The ticket must be resolved before this moment; it moves "
        "later by the business time spent waiting on the customer.")
    resolved_at = fields.DateTime("Resolved At", readonly=True)
    response_business_hours = fields.Float(
        "Response Business Hours", digits=(16, 2), readonly=True,
        help="Business hours from submission to acceptance.")
    resolution_business_hours = fields.Float(
        "Resolution Business Hours", digits=(16, 2), readonly=True,
        help="Business hours from submission to resolution, less the time "
        "spent waiting on the customer.")
    waiting_since = fields.DateTime("Waiting Since", readonly=True)
    paused_hours = fields.Float(
        "Paused Hours", readonly=True,
        help="Business hours spent waiting, not counted against the SLA.")
    extended_hours = fields.Float(
        "Extended Hours", readonly=True,
        help="Business hours added to the resolution time by approved "
        "SLA extensions.")
    overdue = fields.Boolean(
        "Overdue", readonly=True,
        help="Set once a due date was missed; it stays set.")
    escalated = fields.Boolean(
        "Escalated", readonly=True,
        help="The team leader was told the ticket is overdue.")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        cls._sql_indexes.add(cls._overdue_index())

    @classmethod
    def default_paused_hours(cls):
        return 0

    @classmethod
    def default_extended_hours(cls):
        return 0

    @classmethod
    def default_overdue(cls):
        return False

    @classmethod
    def default_escalated(cls):
        return False

    @classmethod
    def _overdue_index(cls):
        t = cls.__table__()
        return Index(t, (t.overdue, Index.Equality()),
            where=t.state.in_(OPEN_STATES))

    @classmethod
    def _now(cls):
        return dt.datetime.now()

    def _get_calendar(self):
        Configuration = Pool().get('callcenter.ticket.configuration')
        return Configuration(1).get_calendar()

    @property
    def _timezone(self):
        return self.company.timezone if self.company else None

    def _business_add(self, start, hours):
        "start (UTC) plus hours of business time, in UTC."
        local = to_local(start, self._timezone)
        return to_utc(self._get_calendar().add(local, hours), self._timezone)

    def _business_hours(self, start, end):
        "Business hours between two UTC moments."
        tz = self._timezone
        delta = self._get_calendar().between(
            to_local(start, tz), to_local(end, tz))
        return delta.total_seconds() / 3600

    def _get_due_dates(self):
        "The response and resolution due dates from type and priority."
        sla = self.type.get_sla(self.priority) if self.type else None
        if not sla or not self.opened_at:
            return {'response_due': None, 'resolution_due': None}
        return {
            'response_due': self._business_add(
                self.opened_at, sla.response_hours),
            'resolution_due': self._business_add(
                self.opened_at,
                sla.resolution_hours + (self.paused_hours or 0)
                + (self.extended_hours or 0)),
            }

    def _is_breached(self, now):
        "Whether a due date was missed by now."
        if self.response_due:
            responded = self.responded_at or now
            if responded > self.response_due:
                return True
        if self.resolution_due and self.state != 'waiting':
            resolved = self.resolved_at or now
            if resolved > self.resolution_due:
                return True
        return False

    @classmethod
    def _sla_start(cls, tickets):
        "Start the clocks of tickets not started yet."
        now = cls._now()
        to_start = [t for t in tickets if not t.opened_at]
        if to_start:
            cls.write(to_start, {'opened_at': now})
            cls._sla_update_due(to_start)

    @classmethod
    def _sla_update_due(cls, tickets):
        args = []
        for ticket in tickets:
            args.extend(([ticket], ticket._get_due_dates()))
        if args:
            cls.write(*args)

    @classmethod
    def _sla_respond(cls, tickets):
        now = cls._now()
        args = []
        for ticket in tickets:
            if not ticket.responded_at:
                args.extend(([ticket], {
                            'responded_at': now,
                            'response_business_hours': (
                                ticket._business_hours_since_opened(now)),
                            }))
        if args:
            cls.write(*args)

    def _business_hours_since_opened(self, end):
        "Business hours from submission to end; None when never submitted."
        if not self.opened_at:
            return None
        # rounded to the fields' 2 digits, which validation enforces
        return round(self._business_hours(
                self.opened_at, max(end, self.opened_at)), 2)

    @classmethod
    def _sla_pause(cls, tickets):
        cls.write(tickets, {'waiting_since': cls._now()})

    @classmethod
    def _sla_resume(cls, tickets):
        "Add the waiting time to the paused hours and move the due dates."
        now = cls._now()
        args = []
        for ticket in tickets:
            if ticket.waiting_since:
                paused = ticket._business_hours(ticket.waiting_since, now)
                args.extend(([ticket], {
                            'paused_hours': (ticket.paused_hours or 0)
                            + paused,
                            'waiting_since': None,
                            }))
        if args:
            cls.write(*args)
            cls._sla_update_due(tickets)

    @classmethod
    def _sla_resolve(cls, tickets):
        "Stop the clocks; the resolution time leaves out the waiting time."
        cls._sla_respond(tickets)
        now = cls._now()
        args = []
        for ticket in tickets:
            hours = ticket._business_hours_since_opened(now)
            if hours is not None:
                hours = round(max(hours - (ticket.paused_hours or 0), 0), 2)
            args.extend(([ticket], {
                        'resolved_at': now,
                        'resolution_business_hours': hours,
                        }))
        if args:
            cls.write(*args)

    @classmethod
    def _sla_extend(cls, ticket, hours, comment):
        "Give ticket hours more to be resolved, and keep it in the history."
        cls.write([ticket], {
                'extended_hours': (ticket.extended_hours or 0) + hours})
        cls._sla_update_due([ticket])
        cls._step([ticket], None, {}, comment)

    @classmethod
    def check_overdue(cls, tickets=None):
        "Flag the tickets whose due date passed; the flag is never cleared."
        now = cls._now()
        if tickets is None:
            tickets = cls.search([
                    ('overdue', '=', False),
                    ('state', 'in', OPEN_STATES),
                    ['OR',
                        ('response_due', '<', now),
                        ('resolution_due', '<', now),
                        ],
                    ])
        breached = [t for t in tickets
            if not t.overdue and t._is_breached(now)]
        if breached:
            cls.write(breached, {'overdue': True})
        return breached

    @classmethod
    def _sla_on_write(cls, tickets, field_names):
        "Keep due dates and the overdue flag in step with the ticket."
        if field_names & {'type', 'priority'}:
            cls._sla_update_due([t for t in tickets if t.opened_at])
        if not field_names <= {'overdue', 'escalated'}:
            cls.check_overdue(tickets)

    @classmethod
    def escalate_overdue(cls):
        "Flag overdue tickets and tell their team leaders, once."
        cls.check_overdue()
        tickets = cls.search([
                ('overdue', '=', True),
                ('escalated', '=', False),
                ('state', 'in', OPEN_STATES),
                ('team.leader', '!=', None),
                ])
        if tickets:
            cls._notify(tickets, lambda t: t.team.leader,
                'callcenter_ticket.msg_ticket_escalated')
            cls._step(tickets, None, {'escalated': True},
                gettext('callcenter_ticket.msg_ticket_escalated_comment'))
        return tickets
