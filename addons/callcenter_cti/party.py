from sql import Literal
from sql.operators import Equal

from trytond.model import fields
from trytond.modules.callcenter_base import phone
from trytond.modules.callcenter_base.phone_key import PhoneKeyMixin
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction

_MATCH_QUERIES = {}


class _Value:
    "Placeholder of the looked-up value in a compiled query."


_VALUE = _Value()


class Party(metaclass=PoolMeta):
    __name__ = 'party.party'
    calls = fields.One2Many(
        'callcenter.call', 'party', "Calls", readonly=True,
        help="The calls linked to the customer, latest first.")
    first_call_at = fields.Timestamp(
        "First Call", readonly=True,
        help="When the customer called for the first time, set when the "
        "customer was created from an unknown caller.")


class ContactMechanism(PhoneKeyMixin, metaclass=PoolMeta):
    __name__ = 'party.contact_mechanism'

    @classmethod
    def _phone_where(cls, table):
        return table.type.in_(sorted(phone.PHONE_TYPES))

    def _get_phone_number(self):
        if getattr(self, 'type', None) in phone.PHONE_TYPES:
            return super()._get_phone_number()

    @classmethod
    def phone_values(cls, type_, key):
        values = super().phone_values(type_, key)
        if type_ not in phone.PHONE_TYPES:
            key = None
        values['phone_key'] = key
        values['phone_tail'] = cls.phone_tail_of(key)
        return values

    @classmethod
    def match_parties(cls, number):
        "Ids of the active parties whose numbers match ``number``."
        for name, value in cls.phone_lookups(number):
            parties = cls._match_column(name, value)
            if parties:
                return parties
        return []

    @classmethod
    def _match_column(cls, name, value):
        "Indexed equality on one key column; SQL keeps the lookup ~0.1 ms."
        query, params = cls._match_query(name)
        cursor = Transaction().connection.cursor()
        cursor.execute(query, [value if p is _VALUE else p for p in params])
        return [p for p, in cursor]

    @classmethod
    def _match_query(cls, name):
        "The lookup on column ``name``, compiled once per process."
        key = (cls.__name__, name)
        if key not in _MATCH_QUERIES:
            Party = Pool().get('party.party')
            mechanism = cls.__table__()
            party = Party.__table__()
            query = mechanism.join(party,
                condition=mechanism.party == party.id).select(
                mechanism.party,
                where=Equal(getattr(mechanism, name), _VALUE)
                & (mechanism.active == Literal(True))
                & (party.active == Literal(True))
                & mechanism.type.in_(sorted(phone.PHONE_TYPES)),
                group_by=[mechanism.party], order_by=[mechanism.party],
                limit=100)
            _MATCH_QUERIES[key] = tuple(query)
        return _MATCH_QUERIES[key]
