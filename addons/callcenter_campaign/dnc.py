"""Do-not-call entries: numbers or prefixes, company-wide or per campaign."""
from trytond.model import Index, ModelSQL, ModelView, fields
from trytond.modules.callcenter_base import phone
from trytond.pool import Pool
from trytond.transaction import Transaction

from . import timezones


class DoNotCall(ModelSQL, ModelView):
    "A number, or a number prefix, never to be dialled."
    __name__ = 'callcenter.campaign.dnc'
    __string__ = "Do-Not-Call Entry"
    _rec_name = 'number'
    company = fields.Many2One('company.company', "Company", required=True)
    campaign = fields.Many2One(
        'callcenter.campaign', "Campaign", ondelete='CASCADE',
        help="Empty: the entry applies to every campaign of the company.")
    number = fields.Char(
        "Number", required=True,
        help="A full number, or the first digits of numbers when Prefix "
        "is checked (e.g. +86400 or 400).")
    prefix = fields.Boolean(
        "Prefix", help="Blocks every number that starts with these digits.")
    key = fields.Char("Key", readonly=True)
    reason = fields.Char("Reason")

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.add(Index(t, (t.company, Index.Equality()),
                (t.key, Index.Equality())))

    @staticmethod
    def default_company():
        return Transaction().context.get('company')

    @staticmethod
    def default_prefix():
        return False

    @classmethod
    def preprocess_values(cls, mode, values):
        values = super().preprocess_values(mode, values)
        if 'number' in values or 'prefix' in values:
            values['key'] = None  # set in on_modification
        return values

    @classmethod
    def on_modification(cls, mode, entries, field_names=None):
        super().on_modification(mode, entries, field_names=field_names)
        if mode in {'create', 'write'}:
            cls._set_keys(entries)

    @classmethod
    def _set_keys(cls, entries):
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        for entry in entries:
            cursor.execute(*table.update([table.key],
                    [dnc_key(entry.number, entry.prefix)],
                    where=table.id == entry.id))

    @classmethod
    def add_numbers(cls, company, numbers, campaign=None, reason=None):
        "Put ``numbers`` on the do-not-call list (a disposition's effect)."
        existing = {e.key for e in cls.search([
                    ('company', '=', company.id),
                    ('campaign', '=', campaign.id if campaign else None),
                    ('key', 'in', [dnc_key(n, False) for n in numbers]),
                    ])}
        return cls.create([{
                    'company': company.id,
                    'campaign': campaign.id if campaign else None,
                    'number': n, 'reason': reason,
                    } for n in set(numbers)
                if dnc_key(n, False) not in existing])


def dnc_key(number, prefix):
    """The matching key of an entry: a full number's E.164 key; a prefix's
    digits, with ``+`` when given in international form."""
    if not prefix:
        region = Pool().get('callcenter.configuration').phone_region()
        return phone.normalize(number, region)
    bare = phone.digits(number)
    return ('+' + bare) if (number or '').strip().startswith('+') else bare


def blocked_numbers(company_id, campaign_id, keys):
    """The keys among ``keys`` on a do-not-call list of the company or of
    the campaign (full numbers, international or national prefixes); with
    no campaign, on the company's list only."""
    if not keys:
        return set()
    cursor = Transaction().connection.cursor()
    national = {k: timezones.national(k, k) for k in keys}
    cursor.execute(
        'SELECT k.key FROM unnest(%s::varchar[], %s::varchar[]) '
        'AS k(key, national) WHERE EXISTS ('
        'SELECT 1 FROM callcenter_campaign_dnc d '
        'WHERE d.company = %s '
        'AND (d.campaign IS NULL OR d.campaign = %s) AND ('
        '(NOT d.prefix AND d.key = k.key) OR (d.prefix AND ('
        'k.key LIKE d.key || \'%%\' '
        'OR k.national LIKE d.key || \'%%\'))))',
        (list(national), list(national.values()), company_id,
            campaign_id or -1))
    return {k for k, in cursor}
