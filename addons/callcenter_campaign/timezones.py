"""Time zones of leads, from their numbers (phonenumbers' time-zone data).

Outbound rules count calling hours in the called person's local time
(US Telemarketing Sales Rule: 8:00-21:00 local), so each lead keeps the
zone of its first number, or its company's when the number tells none.
"""
from trytond.modules.callcenter_base import phone
from trytond.pool import Pool
from trytond.tools import timezone as tz

try:
    from phonenumbers import timezone as pn_timezone
except ImportError:
    pn_timezone = None

_UNKNOWN = 'Etc/Unknown'


def of_number(number):
    "The time zone of ``number``, or None when unknown or ambiguous."
    if not pn_timezone or not number:
        return None
    region = Pool().get('callcenter.configuration').phone_region()
    parsed = phone.valid(number, region) or phone._parse(number, region)
    if parsed is None:
        return None
    zones = [z for z in pn_timezone.time_zones_for_number(parsed)
        if z != _UNKNOWN]
    if not zones:
        return None
    # A country spanning zones with no finer data gives all of them: the
    # first is the country's main zone (US: America/New_York) as a guess.
    return zones[0]


def of_company(company_id):
    "The time zone of the company, else the server's."
    if company_id:
        company = Pool().get('company.company')(company_id)
        if company.timezone:
            return company.timezone
    return getattr(tz.SERVER, 'key', None) or 'UTC'


def national(key, number):
    "The national (home-dialled) form of a number key, digits only."
    if key and key.startswith('+') and phone.AVAILABLE:
        parsed = phone._parse(key, None)
        if parsed is not None:
            import phonenumbers
            return phone.digits(phonenumbers.format_number(
                    parsed, phonenumbers.PhoneNumberFormat.NATIONAL))
    return phone.digits(number)


def zone(name):
    "The ``ZoneInfo`` of ``name`` (UTC when unknown)."
    return tz.get_tzinfo(name or 'UTC')
