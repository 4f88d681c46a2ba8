from trytond.cache import Cache
from trytond.model import ModelSingleton, ModelSQL, ModelView, fields
from trytond.pool import Pool
from trytond.transaction import Transaction


class Configuration(ModelSingleton, ModelSQL, ModelView):
    "Settings shared by the call-center modules."
    __name__ = 'callcenter.configuration'
    __string__ = "Call Center Settings"
    phone_country = fields.Many2One(
        'country.country', "Phone Country",
        help="Country of the numbers dialled or received without a "
        "country code; used to normalise them.")
    _phone_settings_cache = Cache(
        'callcenter.configuration.phone_settings', context=False)

    @classmethod
    def phone_settings(cls):
        """The settings that shape phone numbers (``region``, and what the
        modules add), read once per process and kept until they change;
        read-only."""
        settings = cls._phone_settings_cache.get(None)
        if settings is None:
            settings = cls._phone_settings_cache.set(
                None, cls._get_phone_settings())
        return settings

    @classmethod
    def phone_region(cls):
        "The country code of numbers without one (``CN``), or None."
        return cls.phone_settings()['region']

    @classmethod
    def _get_phone_settings(cls):
        "The phone settings read with SQL (no access rule applies); a hook."
        Country = Pool().get('country.country')
        config = cls.__table__()
        country = Country.__table__()
        cursor = Transaction().connection.cursor()
        cursor.execute(*config.join(country, 'LEFT',
                condition=config.phone_country == country.id).select(
                country.code, order_by=config.id, limit=1))
        row = cursor.fetchone()
        return {'region': row[0] if row else None}

    @classmethod
    def on_modification(cls, mode, records, field_names=None):
        super().on_modification(mode, records, field_names=field_names)
        cls._phone_settings_cache.clear()
