import datetime as dt

from trytond.i18n import gettext
from trytond.model import ModelSingleton, ModelSQL, ModelView, fields
from trytond.pool import Pool, PoolMeta
from trytond.pyson import Id

from .business_hours import Calendar
from .exceptions import CalendarError

WEEKDAYS = [
    ('0', "Monday"),
    ('1', "Tuesday"),
    ('2', "Wednesday"),
    ('3', "Thursday"),
    ('4', "Friday"),
    ('5', "Saturday"),
    ('6', "Sunday"),
    ]


class Configuration(ModelSingleton, ModelSQL, ModelView):
    "Ticket numbering and the business hours the SLA clocks run in."
    __name__ = 'callcenter.ticket.configuration'
    __string__ = "Ticket Settings"
    ticket_sequence = fields.Many2One(
        'ir.sequence', "Ticket Sequence", required=True,
        domain=[('sequence_type', '=',
                Id('callcenter_ticket', 'sequence_type_ticket'))],
        help="Gives each new ticket its number.")
    business_start = fields.Time(
        "Business Start", required=True,
        help="When the working day starts, in the company's time zone.")
    business_end = fields.Time(
        "Business End", required=True,
        help="When the working day ends; SLA clocks stop outside.")
    working_days = fields.MultiSelection(
        WEEKDAYS, "Working Days", sort=False,
        help="The days on which SLA clocks run.")

    @classmethod
    def default_ticket_sequence(cls):
        ModelData = Pool().get('ir.model.data')
        return ModelData.get_id('callcenter_ticket', 'sequence_ticket')

    @classmethod
    def default_business_start(cls):
        return dt.time(9)

    @classmethod
    def default_business_end(cls):
        return dt.time(18)

    @classmethod
    def default_working_days(cls):
        return ['0', '1', '2', '3', '4']

    def get_calendar(self):
        "The business-hours calendar of these settings."
        return Calendar(
            day_start=self.business_start or self.default_business_start(),
            day_end=self.business_end or self.default_business_end(),
            workdays=frozenset(int(d) for d in self.working_days or []))

    @classmethod
    def validate_fields(cls, configurations, field_names):
        super().validate_fields(configurations, field_names)
        if field_names & {'business_start', 'business_end', 'working_days'}:
            cls.check_calendar(configurations)

    @classmethod
    def check_calendar(cls, configurations):
        for configuration in configurations:
            if (configuration.business_end <= configuration.business_start
                    or not configuration.working_days):
                raise CalendarError(gettext(
                        'callcenter_ticket.msg_invalid_calendar'))


class CallCenterConfiguration(metaclass=PoolMeta):
    __name__ = 'callcenter.configuration'
    agents_edit_customers = fields.Boolean("Agents May Edit Customers",
        help="Let agents create, change and delete customers; otherwise "
        "only team leaders, QA and admins may.")

    @classmethod
    def default_agents_edit_customers(cls):
        return False
