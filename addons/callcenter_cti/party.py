from sql import Literal, Null
from sql.operators import Equal

from trytond.cache import Cache
from trytond.model import Index, fields
from trytond.pool import Pool, PoolMeta
from trytond.transaction import Transaction

from . import phone

_BATCH = 1000
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


class ContactMechanism(metaclass=PoolMeta):
    __name__ = 'party.contact_mechanism'
    phone_key = fields.Char(
        "Phone Key", readonly=True,
        help="The number in E.164 without extension, used to match callers.")
    phone_tail = fields.Char(
        "Phone Tail", readonly=True,
        help="The last digits of the number, used to match callers who "
        "arrive without country code or trunk prefix.")
    _phone_settings_cache = Cache(
        'party.contact_mechanism.phone_settings', context=False)

    @classmethod
    def __setup__(cls):
        super().__setup__()
        t = cls.__table__()
        cls._sql_indexes.update({
                Index(t, (t.phone_key, Index.Equality(cardinality='high')),
                    where=t.phone_key != Null),
                Index(t, (t.phone_tail, Index.Equality(cardinality='high')),
                    where=t.phone_tail != Null),
                })

    @classmethod
    def __register__(cls, module):
        super().__register__(module)
        cls._migrate_phone_keys()

    @classmethod
    def _migrate_phone_keys(cls):
        "Fill the keys of the numbers stored before the module was active."
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.select(table.id,
                where=(table.phone_key == Null)
                & table.type.in_(sorted(phone.PHONE_TYPES)),
                limit=1))
        if cursor.fetchone():
            cls.update_phone_keys()

    @classmethod
    def update_phone_keys(cls):
        "Recompute the key and tail of every phone, mobile and fax number."
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        cls._phone_settings_cache.clear()
        region, count = cls._phone_settings()
        cursor.execute(*table.select(table.id, table.value,
                where=table.type.in_(sorted(phone.PHONE_TYPES)),
                order_by=table.id))
        rows = cursor.fetchall()
        update = Transaction().connection.cursor()
        for start in range(0, len(rows), _BATCH):
            for id_, value in rows[start:start + _BATCH]:
                key = phone.normalize(value, region)
                update.execute(*table.update(
                        [table.phone_key, table.phone_tail],
                        [key, phone.tail(key, count) if key else None],
                        where=table.id == id_))

    @classmethod
    def _phone_settings(cls):
        "The default region and the number of tail digits, read with SQL."
        settings = cls._phone_settings_cache.get(None)
        if settings is None:
            settings = cls._read_phone_settings()
            cls._phone_settings_cache.set(None, settings)
        return tuple(settings)

    @classmethod
    def _read_phone_settings(cls):
        pool = Pool()
        Configuration = pool.get('callcenter.configuration')
        Country = pool.get('country.country')
        config = Configuration.__table__()
        country = Country.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*config.join(country, 'LEFT',
                condition=config.phone_country == country.id).select(
                country.code, config.phone_tail_digits,
                order_by=config.id, limit=1))
        row = cursor.fetchone()
        if not row:
            return None, phone.DEFAULT_TAIL_DIGITS
        code, count = row
        return code, count or phone.DEFAULT_TAIL_DIGITS

    def compute_fields(self, field_names=None):
        values = super().compute_fields(field_names=field_names)
        if field_names is None or {'value', 'type'} & set(field_names):
            key = tail = None
            if getattr(self, 'type', None) in phone.PHONE_TYPES:
                region, count = self._phone_settings()
                key = phone.normalize(getattr(self, 'value', None), region)
                tail = phone.tail(key, count) if key else None
            if getattr(self, 'phone_key', None) != key:
                values['phone_key'] = key
            if getattr(self, 'phone_tail', None) != tail:
                values['phone_tail'] = tail
        return values

    @classmethod
    def match_parties(cls, number):
        "Ids of the active parties whose numbers match ``number``."
        region, count = cls._phone_settings()
        key = phone.normalize(number, region)
        if not key:
            return []
        parties = cls._match_column('phone_key', key)
        if (not parties and not phone.is_international(number, region)
                and not phone.has_trunk_prefix(number, region)):
            tail = phone.tail(key, count)
            if tail:
                parties = cls._match_column('phone_tail', tail)
        return parties

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
