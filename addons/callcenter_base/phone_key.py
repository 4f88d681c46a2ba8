"""Indexed phone keys of a model's numbers, for caller lookups.

``PhoneKeyMixin`` adds ``phone_key`` (E.164, see ``phone.normalize``) and
``phone_tail`` (its last digits) to a model with a number field, keeps
them with the number on every save, fills them for the rows stored before
its module was active, and says which key columns a looked-up number is
matched on. ``callcenter_cti`` mixes it into ``party.contact_mechanism``;
a module with numbers of its own (a campaign's leads) mixes it into its
model the same way.
"""
from sql import Literal, Null

from trytond.model import Index, fields
from trytond.pool import Pool
from trytond.transaction import Transaction

from . import phone

_BATCH = 1000


class PhoneKeyMixin:
    "``phone_key`` and ``phone_tail`` of the number in ``_phone_field``."
    __slots__ = ()
    _phone_field = 'value'
    phone_key = fields.Char(
        "Phone Key", readonly=True,
        help="The number in E.164 without extension, used to match callers.")
    phone_tail = fields.Char(
        "Phone Tail", readonly=True,
        help="The last digits of the number, used to match callers who "
        "arrive without country code or trunk prefix.")

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
    def _phone_where(cls, table):
        "The rows of ``table`` whose number is a phone number; a hook."
        return Literal(True)

    def _get_phone_number(self):
        "The number to key, or None; a hook."
        return getattr(self, self._phone_field, None)

    @classmethod
    def phone_keys(cls, number, settings=None):
        "The key and tail of ``number`` with the company's settings."
        settings = settings or cls._phone_settings()
        key = phone.normalize(number, settings['region'])
        return key, cls.phone_tail_of(key, settings)

    @classmethod
    def phone_tail_of(cls, key, settings=None):
        "The tail of ``key`` with the company's number of matched digits."
        settings = settings or cls._phone_settings()
        count = settings.get('tail_digits', phone.DEFAULT_TAIL_DIGITS)
        return phone.tail(key, count) if key else None

    @staticmethod
    def _phone_settings():
        return Pool().get('callcenter.configuration').phone_settings()

    @classmethod
    def phone_lookups(cls, number):
        """Yield the (column, value) pairs to look ``number`` up with, in
        order: its key, then its tail when it arrived without country code
        or trunk prefix (a local number). Lazily: a caller who stops at
        the key's match never computes the tail."""
        settings = cls._phone_settings()
        region = settings['region']
        key = phone.normalize(number, region)
        if not key:
            return
        yield 'phone_key', key
        if (not phone.is_international(number, region)
                and not phone.has_trunk_prefix(number, region)):
            tail = cls.phone_tail_of(key, settings)
            if tail:
                yield 'phone_tail', tail

    def compute_fields(self, field_names=None):
        values = super().compute_fields(field_names=field_names)
        if field_names is None or {self._phone_field, 'type'} & set(
                field_names):
            number = self._get_phone_number()
            key, tail = self.phone_keys(number) if number else (None, None)
            if getattr(self, 'phone_key', None) != key:
                values['phone_key'] = key
            if getattr(self, 'phone_tail', None) != tail:
                values['phone_tail'] = tail
        return values

    @classmethod
    def _migrate_phone_keys(cls):
        "Fill the keys of the numbers stored before the module was active."
        table = cls.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.select(table.id,
                where=(table.phone_key == Null) & cls._phone_where(table),
                limit=1))
        if cursor.fetchone():
            cls.update_phone_keys()

    @classmethod
    def update_phone_keys(cls):
        "Recompute the key and tail of every number."
        Pool().get('callcenter.configuration')._phone_settings_cache.clear()
        table = cls.__table__()
        number = getattr(table, cls._phone_field)
        cursor = Transaction().connection.cursor()
        cursor.execute(*table.select(table.id, number,
                where=cls._phone_where(table), order_by=table.id))
        rows = cursor.fetchall()
        settings = cls._phone_settings()
        update = Transaction().connection.cursor()
        for start in range(0, len(rows), _BATCH):
            for id_, value in rows[start:start + _BATCH]:
                update.execute(*table.update(
                        [table.phone_key, table.phone_tail],
                        list(cls.phone_keys(value, settings)),
                        where=table.id == id_))
